package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DecodeCommandTest {

  private static final Path CAPTURES = Path.of("../sensor/src/test/resources/conformance");

  @TempDir Path tmp;

  /** Runs {@code hoptrace decode ARGS} in-process; returns exit code, stdout and stderr. */
  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    String[] full = new String[args.length + 1];
    full[0] = "decode";
    System.arraycopy(args, 0, full, 1, args.length);
    int code = cl.execute(full);
    return new Result(code, out.toString(), err.toString());
  }

  record Result(int code, String out, String err) {
    String[] lines() {
      return out.isEmpty() ? new String[0] : out.split("\n");
    }
  }

  @Test
  void flannelVxlanCaptureDecodesToInnerIcmpWithVniAndOuterAddresses() {
    Result r = run(CAPTURES.resolve("tcpdump/vxlan_port_8472.pcap").toString());

    assertThat(r.code()).isZero();
    assertThat(r.lines()).hasSize(10);
    String first = r.lines()[0];
    assertThat(first)
        .contains("\"src\":\"192.168.203.3\"", "\"dst\":\"192.168.203.5\"", "\"proto\":1")
        .contains("\"icmpType\":8", "\"icmpCode\":0")
        .contains(
            "\"encap\":[{\"type\":\"VXLAN\",\"outerSrc\":\"192.168.203.1\","
                + "\"outerDst\":\"192.168.202.1\",\"outerSport\":45149,\"outerDport\":8472,"
                + "\"vni\":100}]")
        .contains("\"communityId\":\"1:", "\"fingerprint\":");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void vxlanPortOptionReplacesTheDefaultPorts() {
    Result r =
        run("--vxlan-port", "4789", CAPTURES.resolve("tcpdump/vxlan_port_8472.pcap").toString());

    assertThat(r.code()).isZero();
    assertThat(r.lines()[0]).contains("\"encap\":[]", "\"dport\":8472", "\"proto\":17");
  }

  /** {@code decode -} with {@code file} as stdin. */
  private static Result runStdin(Path file, String... args) throws IOException {
    java.io.InputStream saved = System.in;
    try (java.io.InputStream in = Files.newInputStream(file)) {
      System.setIn(in);
      String[] full = java.util.Arrays.copyOf(args, args.length + 1);
      full[args.length] = "-";
      return run(full);
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void aPcapStreamOnStdinDecodesAsTheSameFileDoes() throws IOException {
    Path file = CAPTURES.resolve("tcpdump/vxlan_port_8472.pcap");
    Result fromFile = run("--iface", "flannel.1", file.toString());
    Result fromStdin = runStdin(file, "--iface", "flannel.1");
    assertThat(fromStdin.code()).isZero();
    assertThat(fromStdin.err()).isEmpty();
    assertThat(fromStdin.lines()).hasSizeGreaterThan(0).containsExactly(fromFile.lines());
  }

  @Test
  void aPcapngStreamOnStdinIsOneClearError() throws IOException {
    Result r = runStdin(CAPTURES.resolve("zeek/Traces/tunnels/geneve-truncated.pcapng"));
    assertThat(r.code()).isNotZero();
    assertThat(r.err().strip().split("\n")).hasSize(1);
    assertThat(r.err()).contains("hoptrace decode: -: a pcapng stream").doesNotContain("Exception");
  }

  @Test
  void garbageFileGivesOneClearErrorLineAndNonZeroExit() throws IOException {
    Path garbage = tmp.resolve("garbage.pcap");
    Files.writeString(garbage, "this is not a capture file at all, just some text\n");

    Result r = run(garbage.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip().split("\n")).hasSize(1);
    assertThat(r.err()).contains("garbage.pcap").contains("not a pcap or pcapng file");
    assertThat(r.err()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void emptyFileGivesOneClearErrorLineAndNonZeroExit() throws IOException {
    Path empty = Files.createFile(tmp.resolve("empty.pcap"));

    Result r = run(empty.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip().split("\n")).hasSize(1);
    assertThat(r.err()).contains("empty.pcap", "empty file").doesNotContain("Exception");
  }

  @Test
  void captureCutMidRecordKeepsThePacketsBeforeTheCutAndExitsZero() throws IOException {
    byte[] whole = Files.readAllBytes(CAPTURES.resolve("tcpdump/vxlan_port_8472.pcap"));
    Path cut = tmp.resolve("cut.pcap");
    Files.write(cut, Arrays.copyOf(whole, whole.length - 40)); // inside the last record

    Result r = run(cut.toString());

    assertThat(r.code()).isZero();
    assertThat(r.lines()).hasSize(9);
    assertThat(r.err().strip().split("\n")).hasSize(1);
    assertThat(r.err()).contains("cut.pcap", "truncated", "9 packets read");
  }

  @Test
  void malformedPublicCapturesDecodeToTheEndWithBadPacketsCountedByReason() {
    String[] files = {
      "tcpdump/ipv4_invalid_length.pcap",
      "tcpdump/ipv6_invalid_length.pcap",
      "tcpdump/LINKTYPE_IPV4_invalid.pcap",
      "tcpdump/esp_truncated.pcap",
      "tcpdump/gre-heapoverflow-1.pcap",
      "tcpdump/bad-ipv4-version-pgm-heapoverflow.pcap",
      "zeek/Traces/tunnels/geneve-truncated.pcapng",
      "suricata-verify/decode-too-many-layers/input.pcap",
      "suricata-verify/ipv4-truncated/truncated.pcap"
    };
    String[] args = new String[files.length + 1];
    args[0] = "--stats";
    for (int i = 0; i < files.length; i++) {
      args[i + 1] = CAPTURES.resolve(files[i]).toString();
    }

    Result r = run(args);

    assertThat(r.code()).isZero();
    assertThat(r.err()).doesNotContain("Exception", "\tat ");
    assertThat(r.err()).contains("TRUNCATED_", "TOO_MANY_LAYERS", "BAD_IP_VERSION");
    for (String f : files) {
      assertThat(r.err()).contains(f);
    }
  }
}
