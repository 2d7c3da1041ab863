package io.hoptrace.cli;

import io.hoptrace.detect.DetectionStats;
import io.hoptrace.pipeline.AlertFollower;
import io.hoptrace.pipeline.DetectionHost;
import io.hoptrace.pipeline.Follower;
import io.hoptrace.pipeline.TopicTail;
import io.hoptrace.pipeline.metrics.JobMetrics;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.Topics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;

/**
 * {@code --metrics-port N} ({@link MetricsEndpointOptions}): the detection job's metrics ({@link
 * JobMetrics}) and the JVM's on {@code http://HOST:N/metrics} in the Prometheus format, shared by
 * {@code demo}, {@code analyze}, {@code run} and {@code flink}: the same names whichever engine
 * runs the job.
 */
final class JobMetricsOptions {
  @Mixin MetricsEndpointOptions endpoint = new MetricsEndpointOptions();

  /** The detection cores' counters of a host (Kafka Streams tasks, Flink stage-1 subtasks). */
  static DetectionStats statsOf(DetectionHost p) {
    return p.detectionStats();
  }

  /** Checks the values before anything starts. */
  void validate() {
    endpoint.validate();
  }

  /** The metrics being served, or none. */
  static final class Served implements AutoCloseable {
    final JobMetrics metrics;
    private final MetricsServer server;
    private final List<DetectionHost.Watch> watches = new ArrayList<>();

    private Served(JobMetrics metrics, MetricsServer server) {
      this.metrics = metrics;
      this.server = server;
    }

    /** Counts the host's committed alerts and flow records. */
    Served follow(DetectionHost p) {
      if (metrics != null) {
        watches.add(p.watchAlerts(metrics::onAlert));
        watches.add(p.watchFlows(metrics::onFlow));
      }
      return this;
    }

    /**
     * Counts the alerts and flow records a job commits to {@code topics} from now on (the alerts
     * firing now set the firing gauge), for a job that runs against a Kafka of its own.
     */
    Served followTopics(KafkaClientSettings kafka, Topics topics) {
      if (metrics != null) {
        AlertFollower alerts =
            AlertFollower.start(
                kafka,
                topics.alerts(),
                Duration.ofMinutes(2),
                metrics::restoreFiring,
                metrics::onAlert);
        watches.add(alerts::close);
        followFlows(kafka, topics);
      }
      return this;
    }

    /** Counts the flow records a job commits to {@code topics} from now on. */
    Served followFlows(KafkaClientSettings kafka, Topics topics) {
      if (metrics != null) {
        watches.add(
            Follower.start(
                new TopicTail<>(kafka, topics.flows(), AvroSerde.flowRecord()::decode).fromEnd(),
                metrics::onFlow,
                "hoptrace-flows-follow"));
      }
      return this;
    }

    int port() {
      return server == null ? -1 : server.port();
    }

    @Override
    public void close() {
      watches.forEach(DetectionHost.Watch::close);
      if (server != null) {
        server.close();
      }
    }
  }

  /** Starts serving (when {@code --metrics-port} is given) and says where on {@code err}. */
  Served start(DetectionStats stats, String command, PrintWriter err) {
    if (!endpoint.enabled()) {
      return new Served(null, null);
    }
    PrometheusMeterRegistry registry = MetricsServer.newRegistry();
    JobMetrics metrics = new JobMetrics(registry, stats, InstantSource.system());
    return new Served(metrics, endpoint.start(registry, command, err));
  }
}
