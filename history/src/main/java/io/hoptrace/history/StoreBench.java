package io.hoptrace.history;

import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.HopStats;
import io.hoptrace.schema.InterfaceRole;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The flow store benchmark: writes {@code flows} generated final flow records spread evenly over
 * one day (2026-12-04, UTC) through {@link StoreFiles} (the writer's path without Kafka), then
 * times a filtered lookup (one destination IP, one hour: with the typed filter and with SQL on the
 * partition columns) and a day aggregate (verdict counts), each on a freshly opened {@link
 * StoreQuery}, as the CLI does.
 */
public final class StoreBench {
  static final Instant DAY = Instant.parse("2026-12-04T00:00:00Z");
  private static final String[] VERDICTS = {"OK", "ONE_WAY", "REJECTED", "LOSSY", "UNREACHABLE"};
  private static final double[] VERDICT_SHARE = {0.90, 0.03, 0.04, 0.02, 0.01};

  /** What one run measured. */
  public record Result(
      long flows,
      Duration write,
      long files,
      List<Duration> lookupFilter,
      long lookupRows,
      List<Duration> lookupSql,
      List<Duration> aggregate,
      long aggregateRows) {

    public double flowsPerSecond() {
      return flows / (write.toNanos() / 1e9);
    }

    static String ms(List<Duration> d) {
      long[] v = d.stream().mapToLong(Duration::toMillis).sorted().toArray();
      return "median " + v[v.length / 2] + " ms (" + Arrays.toString(v) + ")";
    }

    @Override
    public String toString() {
      return String.format(
          "write: %d flows in %.1f s = %.0f flows/s (%d files)%n"
              + "lookup, one dst IP, one hour (flows --dst --since --until): %s, %d row(s)%n"
              + "lookup, one dst IP, one hour (SQL on date/hour): %s%n"
              + "aggregate, verdict counts over the day: %s, %d verdicts",
          flows,
          write.toNanos() / 1e9,
          flowsPerSecond(),
          files,
          ms(lookupFilter),
          lookupRows,
          ms(lookupSql),
          ms(aggregate),
          aggregateRows);
    }
  }

  private final Path store;
  private final long flows;
  private final int hops;

  public StoreBench(Path store, long flows, int hops) {
    this.store = store;
    this.flows = flows;
    this.hops = hops;
  }

  /** Writes the store, then runs each query {@code runs} times; {@code progress} gets status. */
  public Result run(int runs, Consumer<String> progress) throws IOException, SQLException {
    long start = System.nanoTime();
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
    Duration write = Duration.ofNanos(System.nanoTime() - start);
    progress.accept("store written; querying");
    String ip = "10.244.7.9";
    Instant from = DAY.plus(Duration.ofHours(12));
    FlowFilter filter = new FlowFilter().dst(ip).since(from).until(from.plusSeconds(3599));
    String sql =
        "select * from flows where dst = '" + ip + "' and date = DATE '2026-12-04' and hour = 12";
    String agg = "select verdict, count(*) from flows where date = DATE '2026-12-04' group by 1";
    List<Duration> lookupFilter = new ArrayList<>();
    List<Duration> lookupSql = new ArrayList<>();
    List<Duration> aggregate = new ArrayList<>();
    long lookupRows = 0;
    long aggRows = 0;
    for (int r = 0; r <= runs; r++) { // the first run warms the JVM and the page cache
      lookupRows = time(r > 0 ? lookupFilter : null, q -> q.flows(filter));
      time(r > 0 ? lookupSql : null, q -> q.sql(sql));
      aggRows = time(r > 0 ? aggregate : null, q -> q.sql(agg));
    }
    return new Result(flows, write, files, lookupFilter, lookupRows, lookupSql, aggregate, aggRows);
  }

  private long time(List<Duration> into, java.util.function.Function<StoreQuery, QueryResult> q) {
    long t = System.nanoTime();
    long rows;
    try (StoreQuery s = StoreQuery.open(store)) {
      rows = q.apply(s).rows().size();
    }
    if (into != null) {
      into.add(Duration.ofNanos(System.nanoTime() - t));
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
