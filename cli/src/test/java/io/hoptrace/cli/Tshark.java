package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * tshark (the peer; {@code .ci/run} installs it) reading capture files for the ITs that check
 * hoptrace's pcapng files: its dissection of inner headers (VXLAN on 8472) and of the headers ICMP
 * errors quote, not hoptrace's.
 */
final class Tshark {
  static final Path TSHARK = Path.of("/usr/bin/tshark");

  private Tshark() {}

  static void assertInstalled() {
    assertThat(Files.isExecutable(TSHARK))
        .as("tshark is needed (Debian package tshark, installed by .ci/run)")
        .isTrue();
  }

  /** tshark's fields of every frame of {@code file} matching {@code filter}, one line each. */
  static List<String> fields(Path file, String filter, String... fields)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(TSHARK.toString(), "-n", "-r", file.toString()));
    cmd.addAll(List.of("-d", "udp.port==8472,vxlan", "-T", "fields"));
    if (!filter.isEmpty()) {
      cmd.addAll(List.of("-Y", filter));
    }
    for (String f : fields) {
      cmd.addAll(List.of("-e", f));
    }
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("tshark on " + file).isTrue();
    assertThat(p.exitValue()).as("tshark exit code on " + file).isZero();
    return text.lines().filter(l -> !l.isBlank()).toList();
  }

  /** A display filter for a truth file's flows (addresses of any IP layer, so inner ones too). */
  static String truthFilter(Path truth) throws IOException {
    JsonNode t = CliRun.JSON.readTree(truth.toFile());
    List<String> parts = new ArrayList<>();
    for (JsonNode f : t.get("flows")) {
      parts.add("(" + flowFilter(f) + ")");
    }
    return String.join(" || ", parts);
  }

  /** A display filter for one truth flow. */
  static String flowFilter(JsonNode f) {
    String ips = "ip.addr==" + f.get("src").asText() + " && ip.addr==" + f.get("dst").asText();
    int proto = f.get("proto").asInt();
    int sport = f.get("sport").asInt();
    int dport = f.get("dport").asInt();
    String l4 =
        switch (proto) {
          case 1 -> "icmp";
          case 6 -> "tcp";
          case 17 -> "udp";
          default -> throw new AssertionError("unexpected protocol " + proto);
        };
    String ports =
        sport < 0 ? "" : " && " + l4 + ".port==" + sport + " && " + l4 + ".port==" + dport;
    return ips + " && " + l4 + ports;
  }

  /**
   * A pcapng's frames as tshark reads them: packets and description per interface name, capture
   * times in file order.
   */
  record Frames(
      Map<String, Integer> perInterface, Map<String, String> descriptions, List<Double> times) {
    int size() {
      return times.size();
    }
  }

  static Frames frames(Path pcapng) throws IOException, InterruptedException {
    Map<String, Integer> perInterface = new LinkedHashMap<>();
    Map<String, String> descriptions = new LinkedHashMap<>();
    List<Double> times = new ArrayList<>();
    for (String line :
        fields(
            pcapng,
            "",
            "frame.interface_name",
            "frame.interface_description",
            "frame.time_epoch")) {
      String[] f = line.split("\\t", -1);
      perInterface.merge(f[0], 1, Integer::sum);
      descriptions.put(f[0], f[1]);
      times.add(Double.parseDouble(f[2]));
    }
    return new Frames(perInterface, descriptions, times);
  }
}
