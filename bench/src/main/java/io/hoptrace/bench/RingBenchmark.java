package io.hoptrace.bench;

import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.LinkType;
import io.hoptrace.capture.PacketHandler;
import io.hoptrace.evidence.HopRings;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.synth.MixedCaptureGenerator;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the sensor's rings ({@link HopRings}, {@code --ring-seconds}/{@code --ring-bytes}) cost on
 * the capture thread: one packet kept per operation, as {@code SensorPipeline}'s handler keeps it
 * before decoding — the rings full from the start (every packet evicts older ones), packets cut at
 * the live snap length (256), {@code hops} hops taking turns. The score is packets/s; {@code -prof
 * gc}'s {@code gc.alloc.rate.norm} is bytes allocated per packet (goal: 0). At the end of the trial
 * it prints the rings' memory at their bound: the arenas and the heap after a full GC, against the
 * heap before the rings existed.
 *
 * <pre>java -jar bench/target/benchmarks.jar RingBenchmark -prof gc</pre>
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
public class RingBenchmark {
  private static final int FRAMES = 65_536;
  private static final int SNAPLEN = 256;

  /** The sensor's bound, all hops together ({@code --ring-bytes}; default 64m). */
  @Param({"67108864"})
  public long ringBytes;

  /** Hops the packets come from, in turn (each ring gets ringBytes / hops). */
  @Param({"1", "8"})
  public int hops;

  private UnsafeBuffer buffer;
  private int[] offsets;
  private int[] lengths;
  private int[] wire;
  private HopContext[] hopContexts;
  private HopRings rings;
  private PacketHandler keeper;
  private int next;
  private long ts;
  private long heapBefore;

  @Setup(Level.Trial)
  public void setUp() {
    SnapFrames frames = new SnapFrames(new MixedCaptureGenerator(1), FRAMES, SNAPLEN);
    buffer = frames.buffer;
    offsets = frames.offsets;
    lengths = frames.lengths;
    wire = frames.wire;
    hopContexts = new HopContext[hops];
    for (int h = 0; h < hops; h++) {
      hopContexts[h] = new HopContext("bench", null, "veth" + h, InterfaceRole.VETH);
    }
    heapBefore = heapAfterGc();
    rings = new HopRings(ringBytes, TimeUnit.SECONDS.toNanos(60));
    keeper = rings.keeper();
    // fill every ring past its bound: from here on each packet evicts older ones
    long fill = 0;
    while (fill < 2 * ringBytes) {
      keep();
      fill += lengths[next] + 24;
    }
  }

  @Benchmark
  public int keep() {
    int i = next;
    next = (i + 1) & (FRAMES - 1);
    ts += 10_000; // 100 k packets/s: the ring is bound by its bytes, not its 60 s
    keeper.onPacket(
        hopContexts[i % hops], LinkType.ETHERNET, buffer, offsets[i], lengths[i], wire[i], ts);
    return i;
  }

  @TearDown(Level.Trial)
  public void report() {
    long heap = heapAfterGc();
    long packets = rings.packets();
    System.out.printf(
        "%n# rings at their bound: %d hop(s), arenas %d B (bound %d B), %d packets held (%.0f B"
            + " per packet), %.1f s of traffic at 100 k packets/s; heap after GC %d MB with the"
            + " rings, %d MB before: %+d MB%n",
        rings.hops(),
        rings.capacityBytes(),
        ringBytes,
        packets,
        rings.capacityBytes() / (double) Math.max(1, packets),
        packets / 100_000.0,
        heap >> 20,
        heapBefore >> 20,
        (heap - heapBefore) >> 20);
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
