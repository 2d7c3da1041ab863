package io.hoptrace.pipeline.bench;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.pipeline.DetectionHost;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.pipeline.PipelineConfig;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka Streams under {@code bench detect}: the detection job of an {@link EmbeddedPipeline}, and
 * {@link PassThroughJob} as its baseline.
 */
public final class StreamsBenchEngine implements BenchEngine {
  private final DetectionConfig detection;
  private final PipelineConfig pipeline;
  private final Map<String, String> streamsProperties;

  /**
   * @param streamsProperties Kafka Streams properties of the timed jobs (override {@code pipeline})
   */
  public StreamsBenchEngine(
      DetectionConfig detection, PipelineConfig pipeline, Map<String, String> streamsProperties) {
    this.detection = Objects.requireNonNull(detection, "detection");
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.streamsProperties = Map.copyOf(streamsProperties);
  }

  /** "one stream thread" or "N stream threads", as the job runs. */
  @Override
  public String on(double rate) {
    Object t =
        streamsProperties.getOrDefault(
            "num.stream.threads", String.valueOf(pipeline.streamThreads()));
    return "1".equals(String.valueOf(t)) ? "one stream thread" : t + " stream threads";
  }

  private EmbeddedPipeline.Builder builder() {
    EmbeddedPipeline.Builder b = EmbeddedPipeline.builder().detection(detection).config(pipeline);
    streamsProperties.forEach(b::streamsProperty);
    return b;
  }

  @Override
  public DetectionHost running() {
    return builder().start();
  }

  @Override
  public String threadMarker() {
    return "-StreamThread-";
  }

  @Override
  public Idle idle() {
    EmbeddedPipeline p = builder().startJob(false).start();
    return new Idle(
        p,
        p::sendFlush,
        p::awaitDrained,
        () -> new PassThroughJob(p),
        out -> internalTopics(p, out));
  }

  /** Records and bytes the job wrote to its internal topics (state changelogs, repartition). */
  private static void internalTopics(EmbeddedPipeline p, PrintWriter out) {
    try {
      Admin admin = p.admin();
      String prefix = p.applicationId() + "-";
      List<Integer> brokers =
          admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(Node::id).toList();
      // every replica of the job's internal topics, with its size on disk
      Map<TopicPartition, Long> bytes = new HashMap<>();
      admin
          .describeLogDirs(brokers)
          .allDescriptions()
          .get(30, TimeUnit.SECONDS)
          .values()
          .forEach(
              dirs ->
                  dirs.values()
                      .forEach(
                          dir ->
                              dir.replicaInfos()
                                  .forEach(
                                      (tp, info) -> {
                                        if (tp.topic().startsWith(prefix)) {
                                          bytes.merge(tp, info.size(), Long::sum);
                                        }
                                      })));
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      bytes.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
      Map<String, long[]> byTopic = new TreeMap<>(); // {offsets, bytes}
      bytes.forEach(
          (tp, size) -> {
            long[] t = byTopic.computeIfAbsent(tp.topic(), k -> new long[2]);
            t[0] += ends.get(tp).offset();
            t[1] += size;
          });
      byTopic.forEach(
          (t, v) ->
              out.printf(
                  "  internal topic %s: %d offsets, %.1f MB%n",
                  t.substring(prefix.length()), v[0], v[1] / 1e6));
    } catch (Exception e) {
      out.printf("  internal topics: not readable (%s)%n", e);
    }
  }
}
