package io.hoptrace.pipeline.bench;

import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.pipeline.CountingRecordSink;
import io.hoptrace.pipeline.DetectionHost;
import io.hoptrace.pipeline.PacketSink;
import io.hoptrace.pipeline.PipelineConfig;
import io.hoptrace.reduce.InventoryMtus;
import io.hoptrace.reduce.ReducerConfig;
import io.hoptrace.reduce.ReducingSink;
import io.hoptrace.reduce.SummaryMode;
import io.hoptrace.replay.Manifest;
import io.hoptrace.replay.MergedCaptures;
import io.hoptrace.replay.Replay;
import io.hoptrace.route.NatLinkScanner;
import io.hoptrace.route.NatLinks;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.PacketSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The measurements of {@code hoptrace bench detect} on the embedded broker: throughput of the Kafka
 * Streams detection job (and, as a baseline, of a pass-through job over the same records) on a
 * pre-loaded {@link BenchWorkload}, and first-packet-to-alert latency of a one-way flow. Prints its
 * figures to the given writer; an alert on the healthy default workload fails the run.
 */
public final class DetectBench {

  /**
   * What to measure.
   *
   * @param summaries summaries for the throughput run (0 skips it)
   * @param runs one-way flows timed for the latency run (0 skips it)
   * @param concurrency copies of the template in flight at once
   * @param baseline also time the pass-through job
   * @param streamsProperties Kafka Streams properties of the timed jobs (override {@code pipeline})
   * @param detection the detection settings
   * @param pipeline packets partitions and stream threads
   * @param template the recording to copy, or null for the bundled healthy scenario
   * @param mode what the throughput run's sensors publish: every summary, or reduced (a {@link
   *     io.hoptrace.reduce.Reducer} over the workload; the load is then counted in packets, the
   *     records it became are what the job reads)
   */
  public record Settings(
      long summaries,
      int runs,
      int concurrency,
      boolean baseline,
      Map<String, String> streamsProperties,
      DetectionConfig detection,
      PipelineConfig pipeline,
      Path template,
      SummaryMode mode) {
    /** Checks the counts. */
    public Settings {
      Objects.requireNonNull(mode, "mode");
      if (summaries < 0) {
        throw new IllegalArgumentException("summaries must be >= 0");
      }
      if (runs < 0) {
        throw new IllegalArgumentException("runs must be >= 0");
      }
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be >= 1");
      }
      streamsProperties = Map.copyOf(streamsProperties);
      Objects.requireNonNull(detection, "detection");
      Objects.requireNonNull(pipeline, "pipeline");
    }
  }

  private final Settings settings;
  private final BenchEngine engine;

  /** Measures the Kafka Streams job ({@link StreamsBenchEngine}). */
  public DetectBench(Settings settings) {
    this(
        settings,
        new StreamsBenchEngine(
            settings.detection(), settings.pipeline(), settings.streamsProperties()));
  }

  /** Measures {@code engine}'s jobs. */
  public DetectBench(Settings settings, BenchEngine engine) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  /** Runs the throughput (baseline first) and latency measurements, printing to {@code out}. */
  public void run(PrintWriter out) throws Exception {
    Manifest m =
        settings.template() != null
            ? Manifest.read(settings.template())
            : BenchWorkload.healthyManifest();
    List<MergedCaptures.Item> items = MergedCaptures.readAll(m.hops(), DecoderConfig.defaults());
    if (settings.summaries() > 0 && settings.baseline()) {
      throughput(m, items, out, true);
    }
    if (settings.summaries() > 0) {
      throughput(m, items, out, false);
    }
    if (settings.runs() > 0) {
      latency(m, items, out);
    }
  }

  private void throughput(
      Manifest m, List<MergedCaptures.Item> items, PrintWriter out, boolean passThrough) {
    BenchWorkload workload = new BenchWorkload(items, settings.concurrency(), settings.summaries());
    out.printf(
        "workload: %d summaries = %d copies of %d (%d client ports/echo ids renumbered per copy),"
            + " about %d copies in flight%n",
        workload.size(),
        workload.copies(),
        items.size(),
        workload.clientPorts().size(),
        settings.concurrency());
    // the workload's NAT table, as a replay builds it (untimed): every tuple of a NAT-ed
    // conversation on one partition
    NatLinkScanner scanner =
        new NatLinkScanner(
            2 * Math.max(1, settings.detection().nanos(DetectionConfig.NAT_LINK_WINDOW_MS)));
    for (BenchWorkload w = new BenchWorkload(items, settings.concurrency(), settings.summaries());
        w.hasNext(); ) {
      MergedCaptures.Item it = w.next();
      scanner.add(it.summary(), it.key());
    }
    NatLinks links = scanner.build();
    BenchEngine.Idle idle = engine.idle();
    try (DetectionHost p = idle.host()) {
      p.publishInventory(
          m.inventories(items.get(0).summary().getTsNanos()), Duration.ofSeconds(60));
      long t0 = System.nanoTime();
      long packets = 0;
      CountingRecordSink records;
      try (PacketSink pub = p.newPacketSink()) {
        records = new CountingRecordSink(pub);
        ReducingSink sender =
            new ReducingSink(
                settings.mode(),
                ReducerConfig.defaults(),
                new InventoryMtus(m.inventories(0)),
                links::route,
                records);
        while (workload.hasNext()) {
          MergedCaptures.Item it = workload.next();
          String key = it.key() == null ? null : links.route(it.key());
          sender.offer(key, it.summary());
          packets++;
        }
        sender.finish();
        pub.flush();
        if (pub.failed() > 0) {
          throw new IllegalStateException(pub.failed() + " records could not be published");
        }
      }
      long n = records.records();
      idle.sendFlush().run();
      double load = (System.nanoTime() - t0) / 1e9;
      out.printf(
          "pre-loaded %d packets as %s in %.1f s (%.0f records/s)%n",
          packets,
          settings.mode().describe(records.summaries(), records.counters()),
          load,
          n / load);
      out.flush();
      long s0 = System.nanoTime();
      BenchEngine.PassThrough pass = passThrough ? idle.passThrough().get() : null;
      try {
        if (pass == null) {
          p.start();
        }
        long running = System.nanoTime();
        long cpu0 = threadCpuNanos(engine.threadMarker());
        if (pass == null) {
          idle.awaitDrained().accept(Duration.ofMinutes(30));
        } else {
          pass.awaitDrained(Duration.ofMinutes(30));
        }
        long end = System.nanoTime();
        long cpu = threadCpuNanos(engine.threadMarker()) - cpu0;
        double secs = (end - running) / 1e9;
        if (pass != null) {
          long counted = pass.close();
          pass = null;
          if (counted != n) {
            throw new IllegalStateException(
                "pass-through job counted " + counted + " records, " + n + " were published");
          }
        }
        out.printf(
            "%s: %d records in %.2f s from RUNNING to drained (%.1f s start-up):"
                + " %.0f records/s (%.0f captured packets/s) on %s%n",
            passThrough ? "pass-through job (baseline)" : "detection job",
            n,
            secs,
            (running - s0) / 1e9,
            n / secs,
            packets / secs,
            engine.on(n / secs));
        if (cpu > 0) {
          out.printf(
              "job threads CPU: %.2f s while draining (%.0f records, %.0f captured packets per"
                  + " CPU-second)%n",
              cpu / 1e9, n / (cpu / 1e9), packets / (cpu / 1e9));
        }
      } finally {
        if (pass != null) {
          pass.close();
        }
      }
      if (!passThrough) {
        Map<String, Long> byType = new TreeMap<>();
        p.readAlerts().forEach(a -> byType.merge(a.getType() + "/" + a.getStatus(), 1L, Long::sum));
        out.printf("outputs: %d flow records, alert records %s%n", p.readFlows().size(), byType);
        idle.report().accept(out);
        if (settings.template() == null && !byType.isEmpty()) {
          throw new IllegalStateException(
              "copies of the healthy recording raised alerts "
                  + byType
                  + ": the workload is not what it claims, the figure above does not count");
        }
      }
      out.flush();
    }
  }

  /**
   * CPU time of this JVM's threads whose name contains {@code marker} (the job's processing
   * threads), 0 if not measurable.
   */
  private static long threadCpuNanos(String marker) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    if (!mx.isThreadCpuTimeSupported()) {
      return 0;
    }
    long total = 0;
    for (java.lang.management.ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (ti != null && ti.getThreadName().contains(marker)) {
        total += Math.max(0, mx.getThreadCpuTime(ti.getThreadId()));
      }
    }
    return total;
  }

  private void latency(Manifest m, List<MergedCaptures.Item> items, PrintWriter out)
      throws InterruptedException {
    MergedCaptures.Item syn = null;
    for (MergedCaptures.Item it : items) {
      PacketSummary s = it.summary();
      if (s.getTcp() != null && s.getTcp().getFlags() == 0x02) {
        syn = it;
        break;
      }
    }
    if (syn == null) {
      throw new IllegalArgumentException("the template has no TCP SYN");
    }
    long window = DetectionConfig.defaults().get(DetectionConfig.ONE_WAY_WINDOW_MS);
    double[] ms = new double[settings.runs()];
    BlockingQueue<Alert> seenAlerts = new LinkedBlockingQueue<>();
    try (DetectionHost p = engine.running();
        DetectionHost.Watch watch = p.watchAlerts(seenAlerts::add)) {
      p.publishInventory(
          m.inventories(Replay.nanos(InstantSource.system())), Duration.ofSeconds(60));
      try (PacketSink pub = p.newPacketSink()) {
        for (int r = 0; r < settings.runs(); r++) {
          PacketSummary s = PacketSummary.newBuilder(syn.summary()).build();
          int sport = 50000 + r;
          s.setSport(sport);
          s.setFlowKey(null);
          String key = keyWithPort(syn, sport);
          s.setFlowKey(key);
          s.setFingerprint(s.getFingerprint() ^ (r + 1) * 0x9E3779B97F4A7C15L);
          long t0 = System.nanoTime();
          s.setTsNanos(Replay.nanos(InstantSource.system()));
          pub.publish(key, s);
          pub.flush();
          boolean seen = false;
          while (!seen) {
            Alert a = seenAlerts.poll(20, TimeUnit.MILLISECONDS);
            seen =
                a != null && a.getType() == AlertType.ONE_WAY && a.getSubject().getSport() == sport;
            if (System.nanoTime() - t0 > Duration.ofMinutes(2).toNanos()) {
              throw new IllegalStateException("no ONE_WAY alert within 2 minutes");
            }
          }
          ms[r] = (System.nanoTime() - t0) / 1e6;
          out.printf("run %d: SYN -> ONE_WAY alert %.0f ms%n", r + 1, ms[r]);
          out.flush();
        }
      }
    }
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    out.printf(
        "first-packet-to-alert (one-way window %d ms, lateness %d ms): p50 %.0f ms, p99 %.0f ms,"
            + " max %.0f ms over %d runs%n",
        window,
        DetectionConfig.defaults().get(DetectionConfig.LATENESS_MS),
        pct(sorted, 50),
        pct(sorted, 99),
        sorted[sorted.length - 1],
        sorted.length);
  }

  /** The flow key of the template SYN with another client port. */
  private static String keyWithPort(MergedCaptures.Item syn, int sport) {
    PacketSummary s = syn.summary();
    return io.hoptrace.decode.SummaryMapper.flowKeyOf(
        io.hoptrace.schema.FiveTuple.newBuilder()
            .setIpVersion(s.getIpVersion())
            .setSrc(s.getSrc())
            .setDst(s.getDst())
            .setProto(s.getProto())
            .setSport(sport)
            .setDport(s.getDport())
            .build());
  }

  private static double pct(double[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
