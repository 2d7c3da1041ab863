package io.hoptrace.bench;

import io.hoptrace.detect.Codecs;
import io.hoptrace.detect.Detection;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.FlowStores;
import io.hoptrace.detect.state.InMemoryStateStore;
import io.hoptrace.pipeline.bench.BenchWorkload;
import io.hoptrace.replay.MergedCaptures;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketSummary;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The detection core alone (both stages, {@link Detection}, no engine): the time and allocation per
 * packet summary that the detection logic adds to whatever engine hosts it. Input: the same
 * workload as {@code hoptrace bench detect} (copies of the bundled healthy recording, each copy its
 * own conversations, {@value #CONCURRENCY} copies in flight), {@value #SUMMARIES} summaries per
 * invocation into fresh stores, then end of input; the score is per summary.
 *
 * <p>Run from the repository root (the recordings are found under {@code deploy/lab/recordings}):
 * {@code java -jar bench/target/benchmarks.jar DetectorBenchmark -prof gc}. {@code storage=objects}
 * keeps values as objects (as the Kafka Streams job's cache of decoded values does between
 * commits); {@code storage=bytes} encodes and decodes every value on every access (the cost without
 * that cache, an upper bound of the state codecs' share).
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xms2g",
      "-Xmx2g",
      "--add-exports",
      "java.base/jdk.internal.misc=ALL-UNNAMED",
      "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.hoptrace.schema"
    })
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DetectorBenchmark {
  static final int SUMMARIES = 100_800; // 240 whole copies of the 420-summary recording
  static final int CONCURRENCY = 100;

  @org.openjdk.jmh.annotations.Param({"objects", "bytes"})
  public String storage;

  private PacketSummary[] input;
  private List<NodeInventory> inventory;
  private final DetectionConfig cfg = DetectionConfig.defaults();
  private long alerts;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    List<MergedCaptures.Item> template = BenchWorkload.healthyTemplate();
    BenchWorkload w = new BenchWorkload(template, CONCURRENCY, SUMMARIES);
    if (w.size() != SUMMARIES) {
      throw new IllegalStateException("workload has " + w.size() + " summaries");
    }
    input = new PacketSummary[(int) w.size()];
    for (int i = 0; w.hasNext(); i++) {
      input[i] = w.next().summary();
    }
    inventory = BenchWorkload.healthyManifest().inventories(template.get(0).summary().getTsNanos());
  }

  @Benchmark
  @OperationsPerInvocation(SUMMARIES)
  public void detect(Blackhole bh) {
    FlowStores stores =
        storage.equals("objects") ? FlowStores.inMemoryObjects() : FlowStores.inMemory();
    Detection d =
        new Detection(
            cfg,
            stores,
            storage.equals("objects")
                ? new InMemoryStateStore<>()
                : new InMemoryStateStore<>(Codecs.aggregate()),
            () -> inventory,
            bh::consume,
            a -> {
              alerts++;
              bh.consume(a);
            });
    long next = Long.MIN_VALUE;
    for (PacketSummary p : input) {
      d.onPacket(p);
      // the engines advance event time once a second of stream time (punctuation)
      long t = p.getTsNanos();
      if (t >= next) {
        d.advanceTo(t);
        next = t + 1_000_000_000L;
      }
    }
    d.endOfInput();
    if (alerts != 0) {
      throw new IllegalStateException(
          alerts + " alerts on copies of the healthy recording: the workload is not healthy");
    }
  }
}
