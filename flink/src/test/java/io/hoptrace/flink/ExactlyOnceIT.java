package io.hoptrace.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.embedded.EmbeddedKafka;
import io.hoptrace.history.StoreQuery;
import io.hoptrace.lab.Compared;
import io.hoptrace.pipeline.DetectionHost;
import io.hoptrace.replay.Analysis;
import io.hoptrace.replay.Manifest;
import io.hoptrace.replay.ManifestReader;
import io.hoptrace.replay.Recordings;
import io.hoptrace.replay.Replay;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once under failure: the Flink job's only TaskManager is killed mid-replay, while the
 * sink's Kafka transaction holds output records that no checkpoint has committed yet; the job
 * restarts (fixed-delay restart strategy) on a new TaskManager from its last completed checkpoint,
 * and a {@code read_committed} consumer then reads no record twice and every alert (its course from
 * FIRING to RESOLVED and final state), incident and conversation of an uninterrupted run of the
 * same recording; the job's flow store ({@link FlowStoreSink}) holds the same committed records,
 * none twice. State on the heap ({@link RocksDbExactlyOnceIT}: in RocksDB).
 *
 * <p>Both runs replay the recording in real time (as sensors would publish it, without stopping for
 * the failure): the detection core extrapolates event time by wall time when input pauses (a silent
 * flow still alerts), so a replay that paused mid-conversation would change what it finds.
 */
class ExactlyOnceIT {
  private static final Path RECORDINGS = Path.of("..", Recordings.RECORDINGS);
  private static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void broker() {
    LIVE_TASK_MANAGER.set(0);
    kafka = FlinkHost.startBroker();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @TempDir Path storeDir;

  /** Incremented by each kill: the MiniCluster's list of TaskManagers keeps the dead ones. */
  private static final AtomicInteger LIVE_TASK_MANAGER = new AtomicInteger();

  /** The state backend of both runs. */
  StateBackendKind backend() {
    return StateBackendKind.heap;
  }

  @Test
  void aTaskManagerFailureMidReplayLosesAndDuplicatesNothing(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    StateBackendKind backend = backend();
    Manifest m = ManifestReader.read(RECORDINGS.resolve("mtu-blackhole").resolve("manifest.json"));
    Analysis.Result uninterrupted;
    try (FlinkHost h = host("uninterrupted-" + backend, false, backend)) {
      uninterrupted = replay(h, m);
    }
    long total = uninterrupted.summaries();

    Analysis.Result failed;
    Failure failure;
    Path store = storeDir.resolve("failed-" + backend);
    try (FlinkHost h = host("failed-" + backend, true, backend, store)) {
      failure = new Failure(cluster, "failed-" + backend, total / 4);
      Thread killer = new Thread(failure, "task-manager-killer");
      killer.start();
      try {
        failed = replay(h, m);
      } finally {
        killer.join(WAIT.toMillis());
      }
      // the job's flow store: parts committed with the same checkpoints as the Kafka transactions
      StoreChecks.awaitStored(store, failed, false);
    }

    assertThat(failure.error).as("failure injection").isNull();
    assertThat(failure.publishedAtKill)
        .as("summaries published when the TaskManager was killed (of %d)", total)
        .isPositive()
        .isLessThan(total);
    assertThat(failure.restarted).as("the job left RUNNING after the failure").isTrue();
    // none duplicated: an output written again after the restore would be an identical record
    assertThat(duplicates(failed.alertRecords())).as("duplicated alert records").isEmpty();
    assertThat(duplicates(failed.flowRecords())).as("duplicated flow records").isEmpty();
    assertThat(duplicates(failed.incidentRecords())).as("duplicated incident records").isEmpty();
    // none missing: every alert with the same course (FIRING ... RESOLVED) and final state, every
    // conversation's final flow record, every incident's final state. (How far an alert had
    // counted when a FIRING record was written depends on how the input was batched: the restored
    // job reads a backlog at once.)
    assertThat(courses(failed.alertRecords()))
        .as("each alert's course")
        .isNotEmpty()
        .isEqualTo(courses(uninterrupted.alertRecords()));
    assertThat(lastRecords(failed.alertRecords()))
        .as("each alert's last record")
        .isEqualTo(lastRecords(uninterrupted.alertRecords()));
    assertThat(EngineParityIT.flows(failed.flows()))
        .as("flows")
        .isNotEmpty()
        .isEqualTo(EngineParityIT.flows(uninterrupted.flows()));
    assertThat(EngineParityIT.incidents(failed.incidents()))
        .as("incidents")
        .isEqualTo(EngineParityIT.incidents(uninterrupted.incidents()));
    // the store holds what Kafka holds, once: parts written after the last checkpoint before the
    // kill stay in-progress (hidden) files that the views do not read
    try (StoreQuery q = StoreQuery.open(store)) {
      assertThat(
              StoreChecks.column(
                  q.sql("select conversation_id from final_flow_records order by 1")))
          .as("stored final flows")
          .containsExactlyElementsOf(StoreChecks.finals(failed));
      for (String raw : List.of("alert_records", "incident_records", "flow_update_records")) {
        assertThat(q.sql("select count(*) - count(distinct t) from " + raw + " t").rows())
            .as("duplicated rows in " + raw)
            .containsExactly(List.of(0L));
      }
    }
  }

  /** Records that occur more than once. */
  private static <T> List<T> duplicates(List<T> records) {
    Set<T> seen = new HashSet<>();
    return records.stream().filter(r -> !seen.add(r)).toList();
  }

  /**
   * An alert, whatever run: type, subject, lost-at (ids are derived from times that depend on how
   * the input was batched).
   */
  private static String alertKey(Alert a) {
    return a.getType() + " " + a.getSubject() + " lostAt=" + a.getLostAt();
  }

  /** Per alert: its statuses in output order, repeats of one status collapsed. */
  private static Map<String, List<AlertStatus>> courses(List<Alert> records) {
    Map<String, List<AlertStatus>> out = new TreeMap<>();
    for (Alert a : records) {
      List<AlertStatus> c = out.computeIfAbsent(alertKey(a), k -> new ArrayList<>());
      if (c.isEmpty() || c.get(c.size() - 1) != a.getStatus()) {
        c.add(a.getStatus());
      }
    }
    return out;
  }

  /** Per alert: its last record (RESOLVED at the end of input), as compared. */
  private static Map<String, String> lastRecords(List<Alert> records) {
    Map<String, String> out = new TreeMap<>();
    records.forEach(a -> out.put(alertKey(a), Compared.alert(a)));
    return out;
  }

  private static FlinkHost host(String name, boolean restart, StateBackendKind backend) {
    return host(name, restart, backend, null);
  }

  /** As above, writing the flow store to {@code store} when not null. */
  private static FlinkHost host(
      String name, boolean restart, StateBackendKind backend, Path store) {
    FlinkHost.Builder b = FlinkHost.builder();
    if (store != null) {
      b.store(store.toString());
    }
    return b.stateBackend(backend)
        .bootstrapServers(kafka.bootstrapServers())
        .environment(
            conf -> StreamExecutionEnvironment.getExecutionEnvironment(restarts(conf, restart)))
        .topics(Topics.withPrefix(name + "."))
        .jobId(name)
        .start();
  }

  /** The host's configuration, with a fixed-delay restart strategy when {@code restart}. */
  private static Configuration restarts(Configuration conf, boolean restart) {
    if (restart) {
      conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
    }
    return conf;
  }

  /** The recording in real time, then what the job committed. */
  private static Analysis.Result replay(DetectionHost h, Manifest m) throws Exception {
    Replay.Published p =
        new Replay(h, DecoderConfig.defaults(), InstantSource.system(), Duration.ofMinutes(3))
            .pacing(Replay.Pacing.REAL_TIME)
            .run(m, () -> false, msg -> {});
    return new Analysis.Result(
        h.readAlerts(), h.readFlows(), p.summaries(), p.captures(), h.readIncidents());
  }

  /**
   * Once {@code after} summaries are published and a checkpoint has committed some of them, waits
   * until the sink holds output records in a transaction no checkpoint has committed yet, kills the
   * TaskManager, waits until the job leaves RUNNING and starts a new TaskManager.
   */
  private static final class Failure implements Runnable {
    private final MiniCluster cluster;
    private final String jobId;
    private final long after;
    private final KafkaProgress progress;
    private final Topics topics;
    private volatile long publishedAtKill;
    private volatile boolean restarted;
    private volatile Throwable error;

    Failure(MiniCluster cluster, String jobId, long after) {
      this.cluster = cluster;
      this.jobId = jobId;
      this.after = after;
      this.progress = new KafkaProgress(kafka.admin());
      this.topics = Topics.withPrefix(jobId + ".");
    }

    @Override
    public void run() {
      try {
        await(after + " summaries published", () -> published() >= after);
        await("a checkpoint", this::someCommitted);
        List<String> outputs =
            List.of(topics.flows(), topics.alerts(), topics.alertsEcs(), topics.incidents());
        await("an open transaction", () -> !progress.openTransactions(outputs).isEmpty());
        publishedAtKill = published();
        cluster.terminateTaskManager(LIVE_TASK_MANAGER.getAndIncrement()).get();
        await("the job to fail over", this::restarting);
        restarted = true;
        cluster.startTaskManager();
      } catch (Throwable t) {
        error = t;
      }
    }

    /** Summaries in the packets topic. */
    private long published() {
      return progress.ends(topics.packets()).values().stream().mapToLong(Long::longValue).sum();
    }

    private boolean someCommitted() {
      try {
        return kafka
            .admin()
            .listConsumerGroupOffsets(jobId)
            .partitionsToOffsetAndMetadata()
            .get()
            .entrySet()
            .stream()
            .anyMatch(
                e ->
                    e.getKey().topic().equals(topics.packets())
                        && e.getValue() != null
                        && e.getValue().offset() > 0);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    /**
     * Whether the job has been RESTARTING since it started: the execution graph keeps the time of
     * each status it was in. (Polling for a status other than RUNNING missed the restart on a
     * loaded machine: it lasts the restart delay, 500 ms, and the job is RUNNING again while its
     * tasks wait for the new TaskManager — which then never came.)
     */
    private boolean restarting() {
      try {
        for (JobStatusMessage j : cluster.listJobs().get()) {
          if (j.getJobName().contains("(" + jobId + ")")) {
            return cluster
                    .getExecutionGraph(j.getJobId())
                    .get()
                    .getStatusTimestamp(JobStatus.RESTARTING)
                > 0;
          }
        }
        return false;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!done.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what);
        }
        Thread.sleep(5);
      }
    }
  }
}
