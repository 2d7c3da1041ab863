package io.hoptrace.flink;

import io.hoptrace.pipeline.bench.BenchEngine;
import java.time.Duration;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The reference point of {@code hoptrace bench detect --engine flink --baseline}: a Flink job with
 * the detection job's packets source ({@link DetectionGraph#packetSource}: the same consumer
 * settings and deserializer, the same watermarks) and Flink settings (checkpoints, no Kryo), whose
 * only processing is to count the summaries; bounded at the topic's end offsets when it starts, so
 * it finishes once it has read everything. What it reaches is the ceiling Flink and the broker set
 * on the machine; the detection job's figure is read against it.
 */
public final class PassThroughJob implements BenchEngine.PassThrough {
  private static final String COUNTED = "summaries";

  private final JobClient job;
  private long counted = -1;

  private PassThroughJob(JobClient job) {
    this.job = job;
  }

  /**
   * Submits the job to a local MiniCluster of {@code parallelism} slots and returns once it runs.
   */
  public static PassThroughJob start(
      DetectionGraph.Settings s, int parallelism, Duration checkpointInterval) {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(
            parallelism, DetectionGraph.configuration(checkpointInterval, false));
    env.fromSource(
            DetectionGraph.packetSource(s).setBounded(OffsetsInitializer.latest()).build(),
            PacketWatermarks.strategy(s.detection(), s.idleness()),
            "packets")
        .filter(new Count())
        .name("count")
        .sinkTo(new DiscardingSink<>());
    PassThroughJob p;
    try {
      p = new PassThroughJob(env.executeAsync("hoptrace pass-through (" + s.groupId() + ")"));
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the pass-through job: " + e, e);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (p.status() != JobStatus.RUNNING) {
      if (p.status().isGloballyTerminalState() || System.nanoTime() > deadline) {
        throw new IllegalStateException("the pass-through job is " + p.status());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    return p;
  }

  private JobStatus status() {
    return Jobs.status(job, "pass-through job");
  }

  /** Waits until the job has read the topic to its end and finished. */
  @Override
  public void awaitDrained(Duration timeout) {
    JobExecutionResult r =
        Jobs.get(job.getJobExecutionResult(), timeout, "finish the pass-through job");
    Long n = r.getAccumulatorResult(COUNTED);
    counted = n == null ? 0 : n;
  }

  /** Cancels the job unless it has finished; returns what it counted (-1 unless it finished). */
  @Override
  public long close() {
    Jobs.cancel(job);
    return counted;
  }

  /** Drops the end-of-input markers and counts the summaries (an accumulator). */
  private static final class Count extends RichFilterFunction<PacketIn> {
    private transient LongCounter counted;

    @Override
    public void open(OpenContext ctx) {
      counted = new LongCounter();
      getRuntimeContext().addAccumulator(COUNTED, counted);
    }

    @Override
    public boolean filter(PacketIn p) {
      if (p.flush) {
        return false;
      }
      counted.add(1);
      return true;
    }
  }
}
