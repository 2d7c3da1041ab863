package io.hoptrace.cli;

import io.hoptrace.capture.CaptureFileException;
import io.hoptrace.capture.CaptureFileReader;
import io.hoptrace.capture.CaptureStats;
import io.hoptrace.capture.CaptureStreamReader;
import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.PacketHandler;
import io.hoptrace.decode.DecodeCounters;
import io.hoptrace.decode.DecodeStatus;
import io.hoptrace.decode.PacketSummarizer;
import io.hoptrace.schema.InterfaceRole;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hoptrace decode FILE...}: one JSON line per packet, as the sensor would publish it. */
@Command(
    name = "decode",
    mixinStandardHelpOptions = true,
    description = {
      "Decodes pcap/pcapng files and writes one JSON line per packet to stdout: the innermost"
          + " 5-tuple, the encapsulation stack (VXLAN on 4789 and 8472, Geneve, IP-in-IP, GRE),"
          + " VLANs, TCP/ICMP/DNS fields, Community ID and packet fingerprint.",
      "Per-file problems (garbage, empty or cut files, corrupt blocks counted by reason) are"
          + " reported on stderr; the exit code is non-zero only when a file could not be read at"
          + " all. A gzip-compressed capture (.pcap.gz) is decompressed and read."
    })
final class DecodeCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "pcap or pcapng files; - reads a classic pcap stream from stdin (tcpdump -w -)")
  List<Path> files;

  @Mixin DecoderOptions decoderOptions;

  @Option(
      names = "--node",
      defaultValue = "local",
      description = "Node name recorded in each summary (default: ${DEFAULT-VALUE}).")
  String node;

  @Option(
      names = "--iface",
      description = "Interface name recorded in each summary (default: the file name).")
  String iface;

  @Option(
      names = "--role",
      defaultValue = "ANY",
      description = "Interface role: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  InterfaceRole role;

  @Option(names = "--stats", description = "Print per-file decode statistics to stderr.")
  boolean stats;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    PacketSummarizer summarizer = new PacketSummarizer(decoderOptions.config());
    PrintWriter stdout = spec.commandLine().getOut();
    int unreadable = 0;
    try (SummaryJson json = new SummaryJson(stdout)) {
      for (Path file : files) {
        boolean stdin = file.toString().equals("-");
        String name = stdin ? "-" : file.toString();
        HopContext hop =
            new HopContext(
                node,
                null,
                iface != null ? iface : stdin ? "stdin" : file.getFileName().toString(),
                role);
        DecodeCounters counters = summarizer.counters();
        counters.reset();
        PacketHandler toJson =
            (h, linkType, buffer, offset, capLen, wireLen, tsNanos) -> {
              try {
                json.write(
                    summarizer.summarize(h, linkType, buffer, offset, capLen, wireLen, tsNanos));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            };
        CaptureStats s;
        try {
          s = stdin ? readStdin(hop, toJson) : readFile(file, hop, toJson);
        } catch (CaptureFileException e) {
          json.flush();
          err.printf("hoptrace decode: %s: %s%n", name, e.getMessage());
          unreadable++;
          continue;
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
        json.flush();
        if (s.hasProblems()) {
          // why reading stopped, and the corrupt packet blocks dropped by reason; the next
          // file is read all the same
          err.printf("hoptrace decode: %s: %s%n", name, s.describe());
        }
        if (stats) {
          err.printf("%s: %d packets; %s%n", name, s.packets(), statusSummary(counters));
        }
      }
    }
    stdout.flush();
    err.flush();
    return unreadable == 0 ? 0 : 1;
  }

  private static CaptureStats readFile(Path file, HopContext hop, PacketHandler handler)
      throws CaptureFileException {
    try (CaptureFileReader reader = CaptureFileReader.open(file, hop)) {
      reader.read(handler);
      return reader.stats();
    }
  }

  /** A classic pcap stream on stdin, e.g. {@code tcpdump -w - | hoptrace decode -}. */
  private static CaptureStats readStdin(HopContext hop, PacketHandler handler)
      throws CaptureFileException {
    try (CaptureStreamReader reader = CaptureStreamReader.open(System.in, hop)) {
      reader.read(handler);
      return reader.stats();
    }
  }

  static String statusSummary(DecodeCounters counters) {
    StringBuilder sb = new StringBuilder();
    for (DecodeStatus st : DecodeStatus.values()) {
      long n = counters.count(st);
      if (n > 0) {
        sb.append(sb.length() == 0 ? "" : ", ").append(st.name()).append(' ').append(n);
      }
    }
    return sb.toString();
  }
}
