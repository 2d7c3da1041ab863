package io.hoptrace.cli;

import io.hoptrace.capture.CaptureFileException;
import io.hoptrace.capture.CaptureFileReader;
import io.hoptrace.capture.HopContext;
import io.hoptrace.decode.DecodeStatus;
import io.hoptrace.decode.DecodedPacket;
import io.hoptrace.decode.PacketDecoder;
import io.hoptrace.schema.InterfaceRole;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hoptrace bench ...}: quick throughput figures on this machine. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Throughput measurements (JMH benchmarks live in bench/).",
    subcommands = {
      BenchCommand.Decode.class,
      DetectBenchCommand.class,
      HistoryBenchCommand.class,
      ReduceBenchCommand.class
    })
final class BenchCommand implements Runnable {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reads and decodes a capture file repeatedly; prints packets per second. */
  @Command(
      name = "decode",
      mixinStandardHelpOptions = true,
      description = {
        "Reads FILE (memory-mapped) and decodes every packet, pass after pass, for --seconds after"
            + " a --warmup; prints the packet count of one pass and packets/s (wall clock and per"
            + " CPU-second of the decoding thread). Compare with `tcpdump -r FILE 'ether proto"
            + " 0x88b5'` (libpcap reading everything, printing nothing)."
      })
  static final class Decode implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "pcap or pcapng file")
    Path file;

    @Option(
        names = "--seconds",
        defaultValue = "5",
        description = "Measured time (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
        names = "--warmup",
        defaultValue = "2",
        description = "Warm-up time (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Mixin DecoderOptions decoderOptions;

    private long okPackets;

    @Override
    public Integer call() throws CaptureFileException {
      PrintWriter out = spec.commandLine().getOut();
      PacketDecoder decoder = new PacketDecoder(decoderOptions.config());
      DecodedPacket packet = new DecodedPacket();
      HopContext hop = new HopContext("bench", null, "file", InterfaceRole.ANY);
      long perPass = pass(file, hop, decoder, packet);
      if (perPass == 0) {
        out.println("no packets in " + file);
        return 1;
      }
      long ok = okPackets;
      runFor(warmup, hop, decoder, packet);
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpu0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      long packets = runFor(seconds, hop, decoder, packet);
      long wall = System.nanoTime() - t0;
      long cpu = threads.getCurrentThreadCpuTime() - cpu0;
      out.printf("file: %s%n", file);
      out.printf("packets per pass: %d (decoded completely: %d)%n", perPass, ok);
      out.printf(
          "passes: %d, packets: %d, wall: %.2f s, cpu: %.2f s%n",
          packets / perPass, packets, wall / 1e9, cpu / 1e9);
      out.printf(
          "packets/s: %.0f (wall), %.0f (per CPU-second)%n",
          packets * 1e9 / wall, cpu > 0 ? packets * 1e9 / cpu : Double.NaN);
      return 0;
    }

    private long runFor(double secs, HopContext hop, PacketDecoder decoder, DecodedPacket packet)
        throws CaptureFileException {
      long end = System.nanoTime() + (long) (secs * 1e9);
      long n = 0;
      do {
        n += pass(file, hop, decoder, packet);
      } while (System.nanoTime() < end);
      return n;
    }

    private long pass(Path f, HopContext hop, PacketDecoder decoder, DecodedPacket packet)
        throws CaptureFileException {
      okPackets = 0;
      try (CaptureFileReader reader = CaptureFileReader.open(f, hop)) {
        return reader.read(
            (h, linkType, buffer, offset, capLen, wireLen, ts) -> {
              if (decoder.decode(linkType, buffer, offset, capLen, wireLen, packet)
                  == DecodeStatus.OK) {
                okPackets++;
              }
            });
      }
    }
  }
}
