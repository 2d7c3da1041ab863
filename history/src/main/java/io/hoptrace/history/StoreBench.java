package io.hoptrace.history;

import com.sun.management.OperatingSystemMXBean;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.HopStats;
import io.hoptrace.schema.InterfaceRole;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The flow store benchmark: writes {@code flows} generated final flow records spread evenly over
 * one day (2026-12-04, UTC) through {@link StoreFiles} (the writer's path without Kafka), then
 * times a filtered lookup (one destination IP, one hour: with the typed filter and with SQL on the
 * partition columns) and a day aggregate (verdict counts), each on a freshly opened {@link
 * StoreQuery}, as the CLI does: wall time and this process's CPU time (DuckDB's threads included),
 * which a loaded machine inflates less. Other stores (e.g. one written by an earlier version of the
 * writer) are queried in the same run, query by query in turn, for a side-by-side comparison.
 */
public final class StoreBench {
  static final Instant DAY = Instant.parse("2026-12-04T00:00:00Z");
  private static final String[] VERDICTS = {"OK", "ONE_WAY", "REJECTED", "LOSSY", "UNREACHABLE"};
  private static final double[] VERDICT_SHARE = {0.90, 0.03, 0.04, 0.02, 0.01};
  private static final String IP = "10.244.7.9";
  private static final Instant HOUR = DAY.plus(Duration.ofHours(12));

  /** The queries timed, by name. */
  static final Map<String, Function<StoreQuery, QueryResult>> QUERIES = new LinkedHashMap<>();

  static {
    FlowFilter filter = new FlowFilter().dst(IP).since(HOUR).until(HOUR.plusSeconds(3599));
    QUERIES.put("lookup, one dst IP, one hour (flows --dst --since --until)", q -> q.flows(filter));
    QUERIES.put(
        "lookup, one dst IP, one hour (SQL on date/hour)",
        q ->
            q.sql(
                "select * from flows where dst = '"
                    + IP
                    + "' and date = DATE '2026-12-04' and hour = 12"));
    QUERIES.put(
        "aggregate, verdict counts over the day",
        q ->
            q.sql("select verdict, count(*) from flows where date = DATE '2026-12-04' group by 1"));
  }

  /** The times of one query on one store. */
  public record Timings(
      String store, String query, long rows, List<Duration> wall, List<Duration> cpu) {
    @Override
    public String toString() {
      return String.format(
          "%s: %s: wall %s, CPU %s, %d row(s)", store, query, ms(wall), ms(cpu), rows);
    }
  }

  /**
   * What one run measured; write is null when the store was not written in this run, compact null
   * when it was not compacted (then merged is 0).
   */
  public record Result(
      long flows, Duration write, long files, Duration compact, int merged, List<Timings> queries) {

    public double flowsPerSecond() {
      return flows / (write.toNanos() / 1e9);
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      if (write != null) {
        b.append(
            String.format(
                "write: %d flows in %.1f s = %.0f flows/s (%d files)%n",
                flows, write.toNanos() / 1e9, flowsPerSecond(), files));
      }
      if (compact != null) {
        b.append(
            String.format(
                "compaction: %d hour partition(s) merged in %.1f s%n",
                merged, compact.toNanos() / 1e9));
      }
      queries.forEach(t -> b.append(t).append(System.lineSeparator()));
      return b.toString().stripTrailing();
    }
  }

  static String ms(List<Duration> d) {
    long[] v = d.stream().mapToLong(Duration::toMillis).sorted().toArray();
    return "median " + v[v.length / 2] + " ms " + Arrays.toString(v);
  }

  private final Path store;
  private final long flows;
  private final int hops;
  private final boolean compact;

  /**
   * @param flows records to write, 0 to query {@code store} as it is
   */
  public StoreBench(Path store, long flows, int hops) {
    this(store, flows, hops, false);
  }

  /**
   * @param flows records to write, 0 to query {@code store} as it is
   * @param compact whether to merge the store's settled hours ({@link StoreFiles#compact}, all of
   *     them) before the queries, as the store writer does a few at a time
   */
  public StoreBench(Path store, long flows, int hops, boolean compact) {
    this.store = store;
    this.flows = flows;
    this.hops = hops;
    this.compact = compact;
  }

  /**
   * Writes the store (unless flows is 0), then runs each query {@code runs} times on it and on each
   * of {@code others}, in turn; {@code progress} gets status.
   */
  public Result run(int runs, List<Path> others, Consumer<String> progress)
      throws IOException, SQLException {
    Duration write = null;
    long files = 0;
    if (flows > 0) {
      long start = System.nanoTime();
      files = write(progress);
      write = Duration.ofNanos(System.nanoTime() - start);
      progress.accept("store written; querying");
    }
    Duration compaction = null;
    int merged = 0;
    if (compact) {
      long start = System.nanoTime();
      try (StoreFiles f = StoreFiles.open(store)) {
        f.recover((c, o) -> {});
        merged = f.compact(System.currentTimeMillis(), Integer.MAX_VALUE);
      }
      compaction = Duration.ofNanos(System.nanoTime() - start);
      progress.accept(merged + " hour partition(s) merged; querying");
    }
    List<Path> stores = new ArrayList<>();
    stores.add(store);
    stores.addAll(others);
    Map<String, Timings> out = new LinkedHashMap<>();
    for (int r = 0; r <= runs; r++) { // the first run warms the JVM and the page cache
      for (Map.Entry<String, Function<StoreQuery, QueryResult>> q : QUERIES.entrySet()) {
        for (Path s : stores) {
          Timings t =
              out.computeIfAbsent(
                  s + " | " + q.getKey(),
                  k ->
                      new Timings(
                          s.toString(), q.getKey(), 0, new ArrayList<>(), new ArrayList<>()));
          long rows = time(s, q.getValue(), r > 0 ? t : null);
          out.put(
              s + " | " + q.getKey(), new Timings(t.store(), t.query(), rows, t.wall(), t.cpu()));
        }
      }
    }
    return new Result(flows, write, files, compaction, merged, List.copyOf(out.values()));
  }

  private long write(Consumer<String> progress) throws IOException, SQLException {
    long files = 0;
    int batch = StoreConfig.defaults().batchRecords();
    SplittableRandom rnd = new SplittableRandom(42);
    long stepNanos = Duration.ofDays(1).toNanos() / flows;
    long day = DAY.getEpochSecond() * 1_000_000_000L;
    try (StoreFiles f = StoreFiles.open(store)) {
      f.recover((c, o) -> {});
      for (long i = 0; i < flows; i++) {
        f.add(flow(rnd, i, day + i * stepNanos));
        if (f.pending() >= batch) {
          files += f.flush();
          if ((i + 1) % 1_000_000 < batch) {
            progress.accept(String.format("%,d flows written", i + 1));
          }
        }
      }
      files += f.flush();
    }
    return files;
  }

  private static long time(Path store, Function<StoreQuery, QueryResult> q, Timings into) {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu = os.getProcessCpuTime();
    long t = System.nanoTime();
    long rows;
    try (StoreQuery s = StoreQuery.open(store)) {
      rows = q.apply(s).rows().size();
    }
    if (into != null) {
      into.wall().add(Duration.ofNanos(System.nanoTime() - t));
      into.cpu().add(Duration.ofNanos(os.getProcessCpuTime() - cpu));
    }
    return rows;
  }

  private FlowRecord flow(SplittableRandom rnd, long i, long first) {
    String src = "10.244." + rnd.nextInt(256) + "." + (2 + rnd.nextInt(250));
    String dst = "10.244." + rnd.nextInt(256) + "." + (2 + rnd.nextInt(250));
    int proto = rnd.nextInt(10) < 7 ? 6 : 17;
    int sport = 32768 + rnd.nextInt(28000);
    int dport = proto == 6 ? (rnd.nextBoolean() ? 8080 : 443) : 53;
    String verdict = verdict(rnd.nextDouble());
    List<HopStats> path = new ArrayList<>(hops);
    long packets = 2 + rnd.nextInt(40);
    for (int h = 0; h < hops; h++) {
      String node = h < hops / 2 ? "node-a" : "node-b";
      path.add(
          HopStats.newBuilder()
              .setHop(node + "/if" + h)
              .setNode(node)
              .setRole(InterfaceRole.values()[h % 6])
              .setFwdPackets(packets)
              .setFwdBytes(packets * 700)
              .setRevPackets(verdict.equals("ONE_WAY") ? 0 : packets)
              .setRevBytes(verdict.equals("ONE_WAY") ? 0 : packets * 900)
              .build());
    }
    return FlowRecord.newBuilder()
        .setConversationId(proto + "|" + src + "|" + sport + "|" + dst + "|" + dport + "|" + i)
        .setTuples(
            List.of(
                FiveTuple.newBuilder()
                    .setSrc(src)
                    .setDst(dst)
                    .setProto(proto)
                    .setSport(sport)
                    .setDport(dport)
                    .build()))
        .setHops(path)
        .setFirstSeen(first)
        .setLastSeen(first + 1_000_000L * (1 + rnd.nextInt(5_000)))
        .setTcpState(proto == 6 ? "ShADadFf" : null)
        .setVerdict(verdict)
        .setFinal$(true)
        .build();
  }

  private static String verdict(double x) {
    double acc = 0;
    for (int v = 0; v < VERDICTS.length; v++) {
      acc += VERDICT_SHARE[v];
      if (x < acc) {
        return VERDICTS[v];
      }
    }
    return VERDICTS[0];
  }
}
