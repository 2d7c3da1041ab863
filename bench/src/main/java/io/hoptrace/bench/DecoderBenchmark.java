package io.hoptrace.bench;

import io.hoptrace.capture.LinkType;
import io.hoptrace.decode.DecodeStatus;
import io.hoptrace.decode.DecodedPacket;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.decode.PacketDecoder;
import io.hoptrace.synth.MixedCaptureGenerator;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decodes generated frames kept in one off-heap buffer, one packet per operation: the score is
 * packets/s and, with {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes allocated per packet
 * (goal: 0). {@code kind} selects the default mix or one kind of traffic (to find which decode path
 * allocates).
 *
 * <pre>java -jar bench/target/benchmarks.jar DecoderBenchmark -prof gc -f 1 -wi 2 -i 3</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xms1g",
      "-Xmx1g",
      "--add-exports",
      "java.base/jdk.internal.misc=ALL-UNNAMED"
    })
public class DecoderBenchmark {

  /** {@code mixed} or a {@link MixedCaptureGenerator.Kind} name in lower case. */
  @Param({"mixed", "tcp", "udp", "icmp", "vxlan", "geneve", "ipip", "gre", "ipv6", "vlan"})
  public String kind;

  /** Frames kept in the buffer (a power of two). */
  @Param({"65536"})
  public int frames;

  private UnsafeBuffer buffer;
  private int[] offsets;
  private int[] lengths;
  private int mask;
  private int next;
  private PacketDecoder decoder;
  private DecodedPacket out;

  @Setup
  public void setUp() {
    if (Integer.bitCount(frames) != 1) {
      throw new IllegalArgumentException("frames must be a power of two: " + frames);
    }
    MixedCaptureGenerator gen = generator(kind, 1);
    byte[][] f = new byte[frames][];
    int total = 0;
    for (int i = 0; i < frames; i++) {
      f[i] = gen.next();
      total += f[i].length;
    }
    buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(total));
    offsets = new int[frames];
    lengths = new int[frames];
    int at = 0;
    for (int i = 0; i < frames; i++) {
      buffer.putBytes(at, f[i]);
      offsets[i] = at;
      lengths[i] = f[i].length;
      at += f[i].length;
    }
    mask = frames - 1;
    decoder = new PacketDecoder(DecoderConfig.defaults());
    out = new DecodedPacket();
    reportStatuses();
  }

  @Benchmark
  public DecodeStatus decode(Blackhole bh) {
    int i = next;
    next = (i + 1) & mask;
    DecodeStatus s =
        decoder.decode(LinkType.ETHERNET, buffer, offsets[i], lengths[i], lengths[i], out);
    bh.consume(out.sport());
    bh.consume(out.fingerprint());
    return s;
  }

  static MixedCaptureGenerator generator(String kind, long seed) {
    return "mixed".equals(kind)
        ? new MixedCaptureGenerator(seed)
        : new MixedCaptureGenerator(
            seed, MixedCaptureGenerator.Kind.valueOf(kind.toUpperCase(Locale.ROOT)));
  }

  /** Prints how the frames decode once, so a decoder that gives up early is visible. */
  private void reportStatuses() {
    Map<DecodeStatus, Integer> counts = new EnumMap<>(DecodeStatus.class);
    DecodedPacket p = new DecodedPacket();
    PacketDecoder d = new PacketDecoder(DecoderConfig.defaults());
    for (int i = 0; i < frames; i++) {
      counts.merge(
          d.decode(LinkType.ETHERNET, buffer, offsets[i], lengths[i], lengths[i], p),
          1,
          Integer::sum);
    }
    System.out.printf(
        "%n# %s: %d frames, %d B mean, decode statuses %s%n",
        kind, frames, buffer.capacity() / frames, counts);
  }
}
