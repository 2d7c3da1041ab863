package io.hoptrace.bench;

import io.hoptrace.capture.CaptureFileReader;
import io.hoptrace.capture.HopContext;
import io.hoptrace.decode.DecodedPacket;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.decode.PacketDecoder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reads a generated pcap ({@value #PACKETS} packets of the default mix, ~75 MB in the temp
 * directory, page-cached after the first pass) through {@link CaptureFileReader}: the score is
 * packets/s, {@code gc.alloc.rate.norm} bytes per packet. {@code read} only touches each packet,
 * {@code readAndDecode} also decodes it.
 *
 * <pre>java -jar bench/target/benchmarks.jar CaptureReadBenchmark -prof gc -f 1 -wi 2 -i 3</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xms1g",
      "-Xmx1g",
      "--add-exports",
      "java.base/jdk.internal.misc=ALL-UNNAMED"
    })
public class CaptureReadBenchmark {
  static final int PACKETS = 100_000;

  private static final HopContext HOP = new HopContext("bench", null, "eth0", null);

  private Path file;
  private PacketDecoder decoder;
  private DecodedPacket out;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    file = Files.createTempFile("hoptrace-bench-", ".pcap");
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      DecoderBenchmark.generator("mixed", 1).writePcap(os, PACKETS);
    }
    decoder = new PacketDecoder(DecoderConfig.defaults());
    out = new DecodedPacket();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    Files.deleteIfExists(file);
  }

  @Benchmark
  @OperationsPerInvocation(PACKETS)
  public long read(Blackhole bh) throws Exception {
    try (CaptureFileReader r = CaptureFileReader.open(file, HOP)) {
      return r.read(
          (hop, linkType, buf, offset, cap, wire, ts) -> bh.consume(buf.getByte(offset + cap - 1)));
    }
  }

  @Benchmark
  @OperationsPerInvocation(PACKETS)
  public long readAndDecode(Blackhole bh) throws Exception {
    try (CaptureFileReader r = CaptureFileReader.open(file, HOP)) {
      return r.read(
          (hop, linkType, buf, offset, cap, wire, ts) ->
              bh.consume(decoder.decode(linkType, buf, offset, cap, wire, out)));
    }
  }
}
