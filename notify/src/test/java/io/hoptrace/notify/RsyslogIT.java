package io.hoptrace.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hoptrace.schema.Alert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every alert record of the vxlan-blocked recording, from the real pipeline, sent to a real
 * rsyslogd (Debian's, started here with a temporary configuration: {@code imtcp} and {@code imudp}
 * on loopback ports, each message's RFC 5424 fields written to a file as rsyslog parsed them).
 * Skips when rsyslogd is absent ({@code .ci/run} installs it).
 */
class RsyslogIT {
  private static final Path BINARY = Path.of("/usr/sbin/rsyslogd");
  private static final Pattern SD_ID = Pattern.compile("\\[hoptrace@32473 [^\\]]*id=\"([^\"]+)\"");

  @TempDir Path tmp;

  @Test
  void everyAlertArrivesAsRfc5424WithCefOverTcpAndEcsJsonOverUdp() throws Exception {
    assumeTrue(
        Files.isExecutable(BINARY), "needs Debian's rsyslog (" + BINARY + "; .ci/run installs it)");
    List<Alert> records = RecordedAlerts.of("vxlan-blocked");
    assertThat(records).isNotEmpty();
    int tcp = ExternalProcess.freePort();
    int udp = ExternalProcess.freePort();
    Path tcpOut = tmp.resolve("tcp.log");
    Path udpOut = tmp.resolve("udp.log");
    Path conf = tmp.resolve("rsyslog.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "global(workDirectory=\"" + tmp + "\")",
            "module(load=\"imtcp\")",
            "module(load=\"imudp\")",
            "template(name=\"fields\" type=\"list\") {",
            "  property(name=\"app-name\") constant(value=\"\\t\")",
            "  property(name=\"msgid\") constant(value=\"\\t\")",
            "  property(name=\"syslogseverity-text\") constant(value=\"\\t\")",
            "  property(name=\"structured-data\") constant(value=\"\\t\")",
            "  property(name=\"msg\" droplastlf=\"on\") constant(value=\"\\n\")",
            "}",
            "ruleset(name=\"tcp\") { action(type=\"omfile\" file=\""
                + tcpOut
                + "\" template=\"fields\") }",
            "ruleset(name=\"udp\") { action(type=\"omfile\" file=\""
                + udpOut
                + "\" template=\"fields\") }",
            "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + tcp + "\" ruleset=\"tcp\")",
            "input(type=\"imudp\" address=\"127.0.0.1\" port=\"" + udp + "\" ruleset=\"udp\")",
            ""));
    try (ExternalProcess rsyslog =
        ExternalProcess.start(
            List.of(
                BINARY.toString(),
                "-n",
                "-f",
                conf.toString(),
                "-i",
                tmp.resolve("pid").toString()),
            tmp.resolve("rsyslogd.log"))) {
      rsyslog.await(() -> ExternalProcess.listening(tcp), 20_000, "rsyslogd");
      try (AlertSinks sinks = AlertSinks.open(null, "tcp://127.0.0.1:" + tcp, "cef");
          AlertSinks json = AlertSinks.open(null, "udp://127.0.0.1:" + udp, "json")) {
        for (Alert a : records) {
          sinks.accept(a);
          json.accept(a);
        }
        assertThat(sinks.flush(Duration.ofSeconds(20))).noneMatch(l -> l.contains("still"));
        assertThat(json.flush(Duration.ofSeconds(20))).noneMatch(l -> l.contains("still"));
      }
      List<String[]> cef = awaitLines(tcpOut, records.size(), rsyslog);
      List<String[]> ecs = awaitLines(udpOut, records.size(), rsyslog);

      for (int i = 0; i < records.size(); i++) {
        Alert a = records.get(i);
        String[] f = cef.get(i); // TCP keeps the order
        assertThat(f[0]).isEqualTo("hoptrace");
        assertThat(f[1]).isEqualTo(a.getType().name());
        Matcher m = SD_ID.matcher(f[3]);
        assertThat(m.find()).as("structured data %s", f[3]).isTrue();
        assertThat(m.group(1)).isEqualTo(a.getId());
        assertThat(f[3]).contains("status=\"" + a.getStatus() + "\"");
        String msg = f[4].strip();
        assertThat(msg).startsWith("CEF:0|hoptrace|hoptrace|").contains("|" + a.getType() + "|");
        Map<String, String> ext = cefExtensions(msg);
        assertThat(ext)
            .containsEntry("externalId", a.getId())
            .containsEntry("act", a.getStatus().name());
        if (a.getSubject().getDst() != null && a.getSubject().getDst().indexOf(':') < 0) {
          assertThat(ext).containsEntry("dst", a.getSubject().getDst());
        }
        if (a.getLostAt() != null && a.getLostAt().getAfter() != null) {
          assertThat(ext).containsEntry("cs1Label", "lostAfter");
          assertThat(ext).containsEntry("cs1", a.getLostAt().getAfter());
        }
      }
      ObjectMapper om = new ObjectMapper();
      Map<String, Integer> byId = new HashMap<>();
      for (String[] f : ecs) {
        JsonNode doc = om.readTree(f[4].strip());
        assertThat(doc.at("/event/kind").asText()).as("ECS event.kind").isNotEmpty();
        Matcher m = SD_ID.matcher(f[3]);
        assertThat(m.find()).isTrue();
        byId.merge(m.group(1), 1, Integer::sum);
      }
      Map<String, Integer> sent = new HashMap<>();
      records.forEach(a -> sent.merge(a.getId(), 1, Integer::sum));
      assertThat(byId).isEqualTo(sent);
    }
  }

  /** Waits for {@code n} lines in rsyslog's output file, each split into its five fields. */
  private static List<String[]> awaitLines(Path file, int n, ExternalProcess rsyslog)
      throws Exception {
    List<String[]> lines = new ArrayList<>();
    rsyslog.await(
        () -> {
          try {
            lines.clear();
            if (Files.exists(file)) {
              for (String l : Files.readAllLines(file)) {
                lines.add(l.split("\t", 5));
              }
            }
            return lines.size() >= n;
          } catch (java.io.IOException e) {
            return false;
          }
        },
        20_000,
        "rsyslogd writing " + n + " lines to " + file.getFileName());
    assertThat(lines).hasSize(n);
    return lines;
  }

  /** CEF extensions: {@code key=value} pairs, values with {@code \=} and {@code \\} escaped. */
  static Map<String, String> cefExtensions(String cef) {
    int pipes = 0;
    int i = 0;
    for (; i < cef.length() && pipes < 7; i++) {
      char c = cef.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '|') {
        pipes++;
      }
    }
    String ext = cef.substring(i);
    Map<String, String> out = new HashMap<>();
    Matcher m = Pattern.compile("(\\w+)=((?:\\\\.|[^\\\\])*?)(?=\\s\\w+=|$)").matcher(ext);
    while (m.find()) {
      out.put(m.group(1), m.group(2).replace("\\=", "=").replace("\\\\", "\\"));
    }
    return out;
  }
}
