package io.hoptrace.pipeline.bench;

import io.hoptrace.detect.Alerts;
import io.hoptrace.detect.Detection;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.reduce.Reduced;
import io.hoptrace.reduce.ReducerConfig;
import io.hoptrace.reduce.ReducerStats;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.PacketSummary;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import org.apache.avro.specific.SpecificRecord;

/**
 * {@code hoptrace bench reduce}: full and reduced summaries side by side on one generated load
 * ({@link BulkTransfer}): records per captured packet, the reducer's CPU and the detection core's
 * CPU per captured packet in each mode (in process, both stages, no Kafka), and whether the alerts
 * (type, subject, lost-at) are the same. The load is generated into memory first; CPU is the
 * measuring thread's for each pass, run once after a warm-up on a tenth of the load.
 */
public final class ReduceBench {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

  /** The figures of one run. */
  public record Result(
      long packets,
      ReducerStats reducer,
      long detectFullNs,
      long reducerNs,
      long detectReducedNs,
      SortedSet<String> fullAlerts,
      SortedSet<String> reducedAlerts) {

    public double recordsPerPacket() {
      return (double) reducer.records() / packets;
    }

    public boolean sameAlerts() {
      return fullAlerts.equals(reducedAlerts);
    }
  }

  private ReduceBench() {}

  /**
   * Generates {@code load} into memory, then times: the detection on every summary (full), the
   * reducer alone (its records kept), the detection on the reducer's records (reduced).
   */
  public static Result run(BulkTransfer load, BulkTransfer warmUp, ReducerConfig rc) {
    DetectionConfig dc = DetectionConfig.defaults();
    List<PacketSummary> warm = new ArrayList<>();
    warmUp.generate(warm::add);
    full(warm, dc);
    detect(Reduced.of(warm, rc).records(), dc);
    warm.clear();
    List<PacketSummary> in = new ArrayList<>();
    load.generate(in::add);
    List<Alert> fullAlerts = new ArrayList<>();
    long full = cpu(() -> fullAlerts.addAll(full(in, dc)));
    Reduced[] red = new Reduced[1];
    long reducer = cpu(() -> red[0] = Reduced.of(in, rc));
    List<SpecificRecord> records = red[0].records();
    List<Alert> reducedAlerts = new ArrayList<>();
    long reduced = cpu(() -> reducedAlerts.addAll(detect(records, dc)));
    return new Result(
        red[0].stats().packets(),
        red[0].stats(),
        full,
        reducer,
        reduced,
        Alerts.identities(fullAlerts),
        Alerts.identities(reducedAlerts));
  }

  private static List<Alert> full(List<PacketSummary> in, DetectionConfig dc) {
    List<Alert> alerts = new ArrayList<>();
    Detection d = Detection.inMemory(dc, List::of, f -> {}, alerts::add);
    Ticker t = new Ticker(d);
    for (PacketSummary s : in) {
      d.onPacket(s);
      t.tick(s.getTsNanos());
    }
    d.endOfInput();
    return alerts;
  }

  private static List<Alert> detect(List<SpecificRecord> records, DetectionConfig dc) {
    List<Alert> alerts = new ArrayList<>();
    Detection d = Detection.inMemory(dc, List::of, f -> {}, alerts::add);
    Ticker t = new Ticker(d);
    for (SpecificRecord r : records) {
      if (r instanceof PacketSummary s) {
        d.onPacket(s);
        t.tick(s.getTsNanos());
      } else {
        d.onCounters((FlowHopCounters) r);
      }
    }
    d.endOfInput();
    return alerts;
  }

  /** Fires the core's timers every 100 ms of event time, as a host's punctuation does. */
  private static final class Ticker {
    private final Detection d;
    private long next = Long.MIN_VALUE;

    Ticker(Detection d) {
      this.d = d;
    }

    void tick(long ts) {
      if (next == Long.MIN_VALUE) {
        next = ts;
      }
      if (ts >= next) {
        d.advanceTo(ts);
        next = ts + 100_000_000L;
      }
    }
  }

  private static long cpu(Runnable r) {
    long t0 = MX.getCurrentThreadCpuTime();
    r.run();
    return MX.getCurrentThreadCpuTime() - t0;
  }
}
