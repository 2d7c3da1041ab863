package io.hoptrace.bench;

import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.LinkType;
import io.hoptrace.decode.DecodedPacket;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.decode.PacketDecoder;
import io.hoptrace.decode.SummaryMapper;
import io.hoptrace.reduce.DecodedPacketView;
import io.hoptrace.reduce.RecordSink;
import io.hoptrace.reduce.ReducerConfig;
import io.hoptrace.reduce.ReducingSink;
import io.hoptrace.reduce.SummaryMode;
import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.PacketsRecordSerde;
import io.hoptrace.synth.BulkCaptureGenerator;
import io.hoptrace.synth.MixedCaptureGenerator;
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
 * A live sensor's capture thread per packet, without libpcap and Kafka: decode, then the reducer
 * (reduced mode, default settings) and the Avro encoding of every record it publishes (what {@code
 * SummaryPublisher} does before the producer's append). Side by side, the two ways in: {@code
 * form=summary}, a {@link PacketSummary} built for every packet before the reducer decides (the
 * sensor before 2026-12-08, and what replays still do), and {@code form=flyweight}, the reducer
 * reading the decoder's flyweight and a summary built only for a packet kept ({@link
 * DecodedPacketView}). {@code traffic=mix} is the default synthetic mix (many short conversations,
 * DNS, ICMP: most packets are kept), {@code tcp} only its TCP conversations (short ones too),
 * {@code bulk} 32 long downloads at a time ({@link BulkCaptureGenerator}: what fills a busy
 * uplink). The score is packets/s; {@code -prof gc}'s {@code gc.alloc.rate.norm} is bytes allocated
 * per packet. At the end it prints the records published per packet.
 *
 * <pre>java -jar bench/target/benchmarks.jar SensorPathBenchmark -prof gc</pre>
 *
 * <p>On a loaded machine wall-clock scores scatter; {@link #main} measures the thread's CPU time
 * instead, both forms taking turns in rounds of the same packets:
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.hoptrace.bench.SensorPathBenchmark [TRAFFIC [ROUNDS]]
 * </pre>
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
public class SensorPathBenchmark {
  private static final int FRAMES = 1 << 18;
  private static final int SNAPLEN = 256;

  @Param({"summary", "flyweight"})
  public String form;

  @Param({"mix", "tcp", "bulk"})
  public String traffic;

  private UnsafeBuffer buffer;
  private int[] offsets;
  private int[] lengths;
  private int[] wire;
  private long[] ts;
  private long span;
  private long cycle;
  private int next;
  private final HopContext hop = new HopContext("bench", null, "ens33", InterfaceRole.UPLINK);
  private final PacketDecoder decoder = new PacketDecoder(DecoderConfig.defaults());
  private final DecodedPacket packet = new DecodedPacket();
  private final DecodedPacketView view = new DecodedPacketView();
  private ReducingSink reducer;
  private long records;
  private long packets;
  private long bytes;

  @Setup(Level.Trial)
  public void setUp() {
    SnapFrames frames =
        switch (traffic) {
          case "tcp" ->
              new SnapFrames(
                  new MixedCaptureGenerator(1, MixedCaptureGenerator.Kind.TCP), FRAMES, SNAPLEN);
          case "bulk" -> new SnapFrames(new BulkCaptureGenerator(32, 20_000), FRAMES, SNAPLEN);
          default -> new SnapFrames(new MixedCaptureGenerator(1), FRAMES, SNAPLEN);
        };
    buffer = frames.buffer;
    offsets = frames.offsets;
    lengths = frames.lengths;
    wire = frames.wire;
    ts = frames.ts;
    span = ts[FRAMES - 1] - ts[0] + TimeUnit.SECONDS.toNanos(60);
    PacketsRecordSerde serde = PacketsRecordSerde.get();
    reducer =
        new ReducingSink(
            SummaryMode.REDUCED,
            ReducerConfig.defaults(),
            (n, p, i) -> 1500,
            k -> k,
            new RecordSink() {
              @Override
              public void summary(String key, PacketSummary s) {
                records++;
                bytes += serde.encode(s).length + (key == null ? 0 : key.length());
              }

              @Override
              public void counters(String key, FlowHopCounters c) {
                records++;
                bytes += serde.encode(c).length + key.length();
              }
            });
  }

  @Benchmark
  public long packet() {
    int i = next;
    next = (i + 1) & (FRAMES - 1);
    if (next == 0) {
      cycle += span; // the same frames again, later: new flows to the reducer's clock
    }
    packets++;
    long t = ts[i] + cycle;
    decoder.decode(LinkType.ETHERNET, buffer, offsets[i], lengths[i], wire[i], packet);
    if (form.equals("flyweight")) {
      reducer.offer(view.wrap(hop, t, lengths[i], wire[i], packet));
    } else {
      PacketSummary s = SummaryMapper.toAvro(hop, t, lengths[i], wire[i], packet);
      reducer.offer(SummaryMapper.partitionKey(packet, s), s);
    }
    return records;
  }

  /**
   * Both forms in turn, {@code ROUNDS} rounds (default 12) of {@value #FRAMES} packets each after 4
   * warm-up rounds, CPU time of this thread per round; prints each form's median and the lowest CPU
   * nanoseconds per packet, and their ratio.
   */
  public static void main(String[] args) {
    String traffic = args.length > 0 ? args[0] : "mix";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 12;
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    String[] forms = {"summary", "flyweight"};
    SensorPathBenchmark[] b = new SensorPathBenchmark[2];
    long[][] ns = new long[2][rounds];
    for (int f = 0; f < 2; f++) {
      b[f] = new SensorPathBenchmark();
      b[f].form = forms[f];
      b[f].traffic = traffic;
      b[f].setUp();
    }
    for (int r = -4; r < rounds; r++) {
      for (int f = 0; f < 2; f++) {
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < FRAMES; i++) {
          b[f].packet();
        }
        long t = mx.getCurrentThreadCpuTime() - t0;
        if (r >= 0) {
          ns[f][r] = t;
        }
      }
    }
    double[] median = new double[2];
    for (int f = 0; f < 2; f++) {
      long[] x = ns[f].clone();
      java.util.Arrays.sort(x);
      median[f] = (double) x[rounds / 2] / FRAMES;
      System.out.printf(
          "%-9s %s: CPU per packet median %.0f ns, lowest %.0f ns (%d rounds of %d packets);"
              + " %.4f records per packet%n",
          forms[f],
          traffic,
          median[f],
          (double) x[0] / FRAMES,
          rounds,
          FRAMES,
          (double) b[f].records / b[f].packets);
    }
    System.out.printf("flyweight / summary: %.2f of the CPU per packet%n", median[1] / median[0]);
  }

  @TearDown(Level.Trial)
  public void report() {
    System.out.printf(
        "%n%s/%s: %d packets, %.4f records per packet, %.1f bytes encoded per packet%n",
        form, traffic, packets, (double) records / packets, (double) bytes / packets);
  }
}
