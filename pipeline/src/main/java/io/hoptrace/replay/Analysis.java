package io.hoptrace.replay;

import io.hoptrace.capture.CaptureFileException;
import io.hoptrace.capture.CaptureStats;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.pipeline.DetectionHost;
import io.hoptrace.reduce.ReducerConfig;
import io.hoptrace.reduce.SummaryMode;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.Incident;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Replays a manifest through a running {@link DetectionHost} ({@link Replay}, as fast as possible,
 * capture timestamps kept) and reads what the job produced: the alerts and flow records. Used by
 * {@code analyze} and the ITs.
 */
public final class Analysis {

  /** What a replay produced. */
  public record Result(
      List<Alert> alertRecords,
      List<FlowRecord> flowRecords,
      long summaries,
      Map<String, CaptureStats> captures,
      List<Incident> incidentRecords,
      long records,
      long counters) {

    /** A result whose records were the summaries (full mode). */
    public Result(
        List<Alert> alertRecords,
        List<FlowRecord> flowRecords,
        long summaries,
        Map<String, CaptureStats> captures,
        List<Incident> incidentRecords) {
      this(alertRecords, flowRecords, summaries, captures, incidentRecords, summaries, 0);
    }

    /** A result of a host without incidents. */
    public Result(
        List<Alert> alertRecords,
        List<FlowRecord> flowRecords,
        long summaries,
        Map<String, CaptureStats> captures) {
      this(alertRecords, flowRecords, summaries, captures, List.of());
    }

    /** The last record per incident, ordered by first seen, then id. */
    public List<Incident> incidents() {
      Map<String, Incident> byId = new LinkedHashMap<>();
      for (Incident i : incidentRecords) {
        byId.put(i.getId(), i);
      }
      List<Incident> out = new ArrayList<>(byId.values());
      out.sort(Comparator.comparingLong(Incident::getFirstSeen).thenComparing(Incident::getId));
      return out;
    }

    /**
     * One record per alert id: its last FIRING record (the alert as it stood before the end of
     * input resolved it), or its last record when it never fired; ordered by first seen, then id.
     */
    public List<Alert> alerts() {
      Map<String, Alert> byId = new LinkedHashMap<>();
      for (Alert a : alertRecords) {
        Alert prev = byId.get(a.getId());
        if (prev == null
            || a.getStatus() == AlertStatus.FIRING
            || prev.getStatus() != AlertStatus.FIRING) {
          byId.put(a.getId(), a);
        }
      }
      List<Alert> out = new ArrayList<>(byId.values());
      out.sort(Comparator.comparingLong(Alert::getFirstSeen).thenComparing(Alert::getId));
      return out;
    }

    /** The last record per conversation (the final one once it ended), ordered by first seen. */
    public List<FlowRecord> flows() {
      Map<String, FlowRecord> byId = new LinkedHashMap<>();
      for (FlowRecord f : flowRecords) {
        byId.put(f.getConversationId(), f);
      }
      List<FlowRecord> out = new ArrayList<>(byId.values());
      out.sort(
          Comparator.comparingLong(FlowRecord::getFirstSeen)
              .thenComparing(FlowRecord::getConversationId));
      return out;
    }
  }

  private final DetectionHost host;
  private final DecoderConfig decoderConfig;
  private final InstantSource clock;
  private final Duration timeout;
  private SummaryMode mode = SummaryMode.FULL;
  private ReducerConfig reducerConfig = ReducerConfig.defaults();

  public Analysis(
      DetectionHost host, DecoderConfig decoderConfig, InstantSource clock, Duration timeout) {
    this.host = host;
    this.decoderConfig = decoderConfig;
    this.clock = clock;
    this.timeout = timeout;
  }

  /** What the replayed sensors publish (default {@link SummaryMode#FULL}). */
  public Analysis summaries(SummaryMode m) {
    this.mode = java.util.Objects.requireNonNull(m, "mode");
    return this;
  }

  /** {@link Replay#reducer}. */
  public Analysis reducer(ReducerConfig cfg) {
    this.reducerConfig = java.util.Objects.requireNonNull(cfg, "cfg");
    return this;
  }

  /** Runs the replay; {@code progress} gets one-line status messages (for stderr). */
  public Result run(Manifest manifest, Consumer<String> progress) throws CaptureFileException {
    long start = System.nanoTime();
    Replay.Published published =
        new Replay(host, decoderConfig, clock, timeout)
            .summaries(mode)
            .reducer(reducerConfig)
            .run(manifest, () -> false, progress);
    List<Alert> alerts = host.readAlerts();
    List<FlowRecord> flows = host.readFlows();
    List<Incident> incidents = host.readIncidents();
    progress.accept(
        String.format(
            "drained in %.1f s: %d alert record(s), %d flow record(s), %d incident record(s)",
            (System.nanoTime() - start) / 1e9, alerts.size(), flows.size(), incidents.size()));
    return new Result(
        alerts,
        flows,
        published.summaries(),
        published.captures(),
        incidents,
        published.records(),
        published.counters());
  }
}
