package io.hoptrace.cli;

import io.hoptrace.capture.CaptureFileException;
import io.hoptrace.capture.CaptureStats;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.publish.SummaryPublisher;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.FlowRecord;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Replays a manifest through a running {@link EmbeddedPipeline}: inventory first (awaited in the
 * job's store), then every hop's packets merged in timestamp order, then the end-of-input marker,
 * and waits until everything is drained. Used by {@code analyze} and the ITs.
 */
public final class Analysis {

  /** What a replay produced. */
  public record Result(
      List<Alert> alertRecords,
      List<FlowRecord> flowRecords,
      long summaries,
      Map<String, CaptureStats> captures) {

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

  private final EmbeddedPipeline pipeline;
  private final DecoderConfig decoderConfig;
  private final InstantSource clock;
  private final Duration timeout;

  public Analysis(
      EmbeddedPipeline pipeline,
      DecoderConfig decoderConfig,
      InstantSource clock,
      Duration timeout) {
    this.pipeline = pipeline;
    this.decoderConfig = decoderConfig;
    this.clock = clock;
    this.timeout = timeout;
  }

  /** Runs the replay; {@code progress} gets one-line status messages (for stderr). */
  public Result run(Manifest manifest, Consumer<String> progress) throws CaptureFileException {
    long start = System.nanoTime();
    var inventories = manifest.inventories(nanos(clock));
    pipeline.publishInventory(inventories, timeout);
    progress.accept("published the inventory of " + inventories.size() + " node(s)");
    long n = 0;
    Map<String, CaptureStats> stats;
    try (SummaryPublisher pub = pipeline.newPublisher();
        MergedCaptures merged = MergedCaptures.open(manifest.hops(), decoderConfig)) {
      while (merged.hasNext()) {
        MergedCaptures.Item item = merged.next();
        pub.publish(item.key(), item.summary());
        n++;
      }
      pub.flush();
      if (pub.failed() > 0) {
        throw new IllegalStateException(pub.failed() + " packet summaries could not be published");
      }
      stats = merged.stats();
    }
    progress.accept(
        "published "
            + n
            + " packet summaries from "
            + manifest.hops().size()
            + " hop(s); waiting for the detection job to drain");
    pipeline.endOfInput(timeout);
    List<Alert> alerts = pipeline.readAlerts();
    List<FlowRecord> flows = pipeline.readFlows();
    progress.accept(
        String.format(
            "drained in %.1f s: %d alert record(s), %d flow record(s)",
            (System.nanoTime() - start) / 1e9, alerts.size(), flows.size()));
    return new Result(alerts, flows, n, stats);
  }

  static long nanos(InstantSource clock) {
    var i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
