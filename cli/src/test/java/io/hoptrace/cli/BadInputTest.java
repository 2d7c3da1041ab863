package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.spool.Spool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to the commands, none of which needs a broker (issue 17's findings): one clear line
 * naming the option, field, file or address, exit code 2 (1 for a file that cannot be read by
 * {@code decode}), before anything is started or connected to.
 */
class BadInputTest {

  private static final Path RECORDINGS = CliRun.repoRoot().resolve("deploy/lab/recordings");
  private static final Path A_CAPTURE = RECORDINGS.resolve("healthy/node-a.cni0.pcap");

  @TempDir Path tmp;

  /** A port nothing listens on. */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Exit code 2 and exactly one line on stderr, containing every {@code parts}. */
  private static void oneLineError(CliRun r, String... parts) {
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    assertThat(r.err()).contains(parts);
  }

  // ---------------------------------------------------------------- manifests (finding 2)

  @Test
  void analyzeRefusesABadManifestAddressBeforeAnyBrokerStarts() throws IOException {
    Path dir = tmp.resolve("typo");
    Files.createDirectories(dir);
    for (Path p : Files.list(RECORDINGS.resolve("vxlan-blocked")).toList()) {
      Files.copy(p, dir.resolve(p.getFileName()));
    }
    Path manifest = dir.resolve("manifest.json");
    String json = Files.readString(manifest);
    assertThat(json).contains("\"local\": \"192.168.232.128\"");
    Files.writeString(
        manifest,
        json.replace("\"local\": \"192.168.232.128\"", "\"local\": \"192.168.232.1288\""));
    long t0 = System.nanoTime();
    CliRun r = CliRun.run("analyze", manifest.toString());
    oneLineError(r, "nodes[0].vteps[0].local", "\"192.168.232.1288\" is not an IP address");
    assertThat(r.err()).doesNotContain("hop(s)"); // the line printed when the pipeline starts
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void analyzeNamesTheHopOfACaptureThatIsNotOneBeforeAnyBrokerStarts() throws IOException {
    Path text = tmp.resolve("notes.pcap");
    Files.writeString(text, "this is not a capture\n");
    Path manifest = tmp.resolve("manifest.json");
    Files.writeString(
        manifest,
        "{\"nodes\": [], \"hops\": [{\"node\": \"n\", \"iface\": \"eth0\", \"file\": \""
            + A_CAPTURE
            + "\"}, {\"node\": \"n\", \"iface\": \"eth1\", \"file\": \"notes.pcap\"}]}");
    CliRun r = CliRun.run("analyze", manifest.toString());
    oneLineError(r, "hop n/eth1: " + text + ": not a pcap or pcapng file");
    assertThat(r.err()).doesNotContain("hop(s)");
  }

  // ---------------------------------------------------------------- Kafka (finding 6)

  @Test
  void sensorOnAClosedPortFailsAtOnceInOneLine() throws IOException {
    int port = closedPort();
    long t0 = System.nanoTime();
    CliRun r =
        CliRun.run(
            "sensor",
            "--pcap",
            A_CAPTURE.toString(),
            "--node",
            "n",
            "--bootstrap",
            "127.0.0.1:" + port);
    oneLineError(r, "cannot reach Kafka at 127.0.0.1:" + port, "connection refused");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void bootstrapWithoutAPortIsAClearError() {
    CliRun r =
        CliRun.run(
            "sensor", "--pcap", A_CAPTURE.toString(), "--node", "n", "--bootstrap", "localhost");
    oneLineError(r, "--bootstrap localhost", "is not HOST:PORT (e.g. localhost:9092)");
    CliRun run = CliRun.run("run", "--bootstrap", "localhost");
    oneLineError(run, "--bootstrap localhost", "is not HOST:PORT");
  }

  // ---------------------------------------------------------------- options (findings 4, 7)

  @Test
  void sensorOptionsAreCheckedBeforeKafka() throws IOException {
    String closed = "127.0.0.1:" + closedPort();
    // each names its option, not the unreachable Kafka: nothing was tried before the check
    oneLineError(
        CliRun.run(
            "sensor", "--iface", "eth0", "--node", "n", "--bootstrap", closed, "--snaplen", "0"),
        "--snaplen 0: must be 64..262144 bytes");
    oneLineError(
        CliRun.run(
            "sensor", "--iface", "eth0", "--node", "n", "--bootstrap", closed, "--duration", "-5"),
        "--duration -5: must be > 0 seconds");
    oneLineError(
        CliRun.run(
            "sensor",
            "--pcap",
            A_CAPTURE.toString(),
            "--node",
            "n",
            "--bootstrap",
            closed,
            "--packets-partitions",
            "0"),
        "--packets-partitions 0: must be >= 1");
    oneLineError(
        CliRun.run(
            "sensor",
            "--iface",
            "eth0",
            "--node",
            "n",
            "--bootstrap",
            closed,
            "--netns",
            "hoptrace-no-such-netns"),
        "network namespace 'hoptrace-no-such-netns' does not exist");
    oneLineError(
        CliRun.run(
            "sensor",
            "--iface",
            "eth0",
            "--node",
            "n",
            "--bootstrap",
            closed,
            "--drop-reasons",
            "maybe"),
        "--drop-reasons maybe: must be auto, on or off");
    oneLineError(
        CliRun.run("sensor", "--pod-iface", "no-netns-here", "--node", "n", "--bootstrap", closed),
        "--pod-iface wants POD=NETNS:IFACE, got 'no-netns-here'");
  }

  @Test
  void ringOptionsAreCheckedBeforeKafka() throws IOException {
    String closed = "127.0.0.1:" + closedPort();
    String[] live = {"sensor", "--iface", "eth0", "--node", "n", "--bootstrap", closed};
    oneLineError(
        CliRun.run(concat(live, "--ring-seconds", "0")), "--ring-seconds 0: must be 1..3600");
    oneLineError(
        CliRun.run(concat(live, "--ring-bytes", "lots")),
        "--ring-bytes lots: not a size (bytes, or with k, m, g)");
    oneLineError(
        CliRun.run(concat(live, "--ring-bytes", "100k")),
        "--ring-bytes 100k: must be 0 (no rings) or at least 128k");
    oneLineError(
        CliRun.run(concat(live, "--ring-bytes", "1000g")),
        "--ring-bytes 1000g: more than half the JVM's heap");
    String[] replay = {
      "sensor", "--pcap", A_CAPTURE.toString(), "--node", "n", "--bootstrap", closed
    };
    oneLineError(
        CliRun.run(concat(replay, "--ring-seconds", "4000")),
        "--ring-seconds 4000: must be 1..3600");
  }

  @Test
  void pcapOptionsAreCheckedBeforeKafka() throws IOException {
    String closed = "127.0.0.1:" + closedPort();
    String out = tmp.resolve("x.pcapng").toString();
    oneLineError(
        CliRun.run("pcap", "--bootstrap", closed, "-o", out, "--incident", "i", "--timeout", "0"),
        "--timeout 0: must be 1..3600");
    oneLineError(
        CliRun.run(
            "pcap",
            "--bootstrap",
            closed,
            "-o",
            tmp.resolve("no/x.pcapng").toString(),
            "--incident",
            "i"),
        "-o " + tmp.resolve("no/x.pcapng"),
        ": no directory " + tmp.resolve("no"));
    oneLineError(
        CliRun.run("pcap", "--bootstrap", closed, "-o", tmp.toString(), "--incident", "i"),
        "-o " + tmp + ": is a directory");
    oneLineError(
        CliRun.run("pcap", "--bootstrap", "localhost", "-o", out, "--conversation", "c"),
        "--bootstrap localhost",
        "is not HOST:PORT");
    oneLineError(
        CliRun.run(
            "pcap",
            "--bootstrap",
            closed,
            "-o",
            out,
            "--conversation",
            "c",
            "--connect-timeout",
            "2"),
        "cannot reach Kafka at " + closed);
    CliRun both =
        CliRun.run(
            "pcap", "--bootstrap", closed, "-o", out, "--conversation", "c", "--incident", "i");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
    assertThat(tmp.resolve("x.pcapng")).doesNotExist();
  }

  @Test
  void spoolOptionsAreCheckedBeforeKafka() throws IOException {
    String closed = "127.0.0.1:" + closedPort();
    String[] live = {"sensor", "--iface", "lo", "--node", "n", "--bootstrap", closed};
    Path dir = tmp.resolve("spool");
    oneLineError(
        CliRun.run(concat(live, "--spool-max-bytes", "1g")),
        "--spool-max-bytes goes with --spool-dir");
    oneLineError(
        CliRun.run(concat(live, "--spool-dir", dir.toString(), "--spool-max-bytes", "10k")),
        "--spool-max-bytes 10k: must be at least 64k (65536)");
    oneLineError(
        CliRun.run(concat(live, "--spool-dir", dir.toString(), "--spool-max-bytes", "lots")),
        "--spool-max-bytes lots: not a size (bytes, or with k, m, g)");
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    oneLineError(
        CliRun.run(concat(live, "--spool-dir", file.toString())),
        "--spool-dir " + file + ": not a directory");
    String[] replay = {"sensor", "--pcap", A_CAPTURE.toString(), "--node", "n"};
    oneLineError(
        CliRun.run(concat(replay, "--bootstrap", closed, "--spool-dir", dir.toString())),
        "--spool-dir is for live capture");
    assertThat(dir).as("nothing made before the checks passed").doesNotExist();
    // one directory, one sensor: the second says so before it asks Kafka anything
    try (Spool first = Spool.open(dir, 1 << 20)) {
      oneLineError(
          CliRun.run(concat(live, "--spool-dir", dir.toString())),
          "spool directory "
              + dir
              + " is in use by another sensor (pid "
              + ProcessHandle.current().pid()
              + ")");
      assertThat(first.records()).isZero();
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void brokerOptionsAreChecked() throws IOException {
    oneLineError(CliRun.run("broker", "--port", "-1"), "--port -1: must be 0..65535");
    oneLineError(CliRun.run("broker", "--port", "70000"), "--port 70000: must be 0..65535");
    oneLineError(
        CliRun.run("broker", "--packets-partitions", "0"), "--packets-partitions 0: must be >= 1");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      oneLineError(
          CliRun.run("broker", "--port", String.valueOf(port)),
          "port " + port + " on 127.0.0.1 is in use");
    }
  }

  @Test
  void runAndFlinkCheckTheirOptionsBeforeKafka() throws IOException {
    String closed = "127.0.0.1:" + closedPort();
    oneLineError(
        CliRun.run("run", "--bootstrap", closed, "--packets-partitions", "0"),
        "--packets-partitions 0: must be >= 1");
    oneLineError(
        CliRun.run("run", "--bootstrap", closed, "--connect-timeout", "0"),
        "--connect-timeout 0: must be 1..600 seconds");
    oneLineError(
        CliRun.run("run", "--bootstrap", closed, "--connect-timeout", "2"),
        "cannot reach Kafka at " + closed);
    oneLineError(
        CliRun.run("flink", "--bootstrap", closed, "--metrics-port", "70000"),
        "--metrics-port must be 0-65535, got 70000");
    oneLineError(
        CliRun.run("flink", "--bootstrap", closed, "--store", "s3://bucket/history"),
        "--store s3://bucket/history: ",
        "here only local directories");
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    oneLineError(
        CliRun.run("flink", "--bootstrap", closed, "--store", file.toString()),
        "--store " + file + ": not a directory");
  }

  // ---------------------------------------------------------------- captures (findings 3, 7)

  @Test
  void decodeReadsAGzipCompressedCapture() throws IOException {
    Path gz = tmp.resolve("a.pcap.gz");
    try (var out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(A_CAPTURE));
    }
    CliRun plain = CliRun.run("decode", A_CAPTURE.toString());
    CliRun r = CliRun.run("decode", gz.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isNotEmpty();
    // the same summaries but for the interface name, which is the file's name by default
    assertThat(r.out().replace("a.pcap.gz", "node-a.cni0.pcap")).isEqualTo(plain.out());
  }

  @Test
  void decodeGoesOnAfterACorruptPcapngNamingTheFileAndTheReasons() throws IOException {
    Path corrupt = tmp.resolve("corrupt.pcapng");
    Files.write(corrupt, corruptPcapng());
    CliRun r = CliRun.run("decode", corrupt.toString(), A_CAPTURE.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err().strip().lines())
        .containsExactly(
            "hoptrace decode: "
                + corrupt
                + ": broken pcapng block length 2147483632 at offset 132 (past the end of the"
                + " file, 160 bytes); 1 packet read; corrupt packet blocks dropped: 1 unknown"
                + " interface");
    // the next file was read whole: 1 packet of the corrupt one, then all of the good one
    assertThat(r.jsonLines().size())
        .isEqualTo(1 + CliRun.run("decode", A_CAPTURE.toString()).jsonLines().size());
  }

  /**
   * A pcapng file of 160 bytes: SHB (offset 0, 28 bytes), IDB (28, 20), an EPB of the undescribed
   * interface 7 (48, 40), a good EPB (88, 44), and at 132 a block whose length runs 2 GiB past the
   * end of the file (its offset + length overflows an int).
   */
  private static byte[] corruptPcapng() {
    ByteBuffer b = ByteBuffer.allocate(160).order(ByteOrder.LITTLE_ENDIAN);
    // section header block: type, length 28, byte-order magic, version 1.0, section length -1
    b.putInt(0x0A0D0D0A)
        .putInt(28)
        .putInt(0x1A2B3C4D)
        .putShort((short) 1)
        .putShort((short) 0)
        .putLong(-1L)
        .putInt(28);
    // interface description block: Ethernet, snaplen 0, no options
    b.putInt(1).putInt(20).putShort((short) 1).putShort((short) 0).putInt(0).putInt(20);
    // enhanced packet block of interface 7, which no IDB described: dropped, counted
    b.putInt(6).putInt(40).putInt(7).putInt(0).putInt(1).putInt(8).putInt(8).putLong(0).putInt(40);
    // at offset 88: a good EPB of interface 0 (12-byte packet)
    b.putInt(6).putInt(44).putInt(0).putInt(0).putInt(2).putInt(12).putInt(12);
    b.put(new byte[12]).putInt(44);
    // at offset 132: a block whose length runs 2 GiB past the end of the file
    b.putInt(6).putInt(0x7FFFFFF0).put(new byte[20]);
    return b.array();
  }
}
