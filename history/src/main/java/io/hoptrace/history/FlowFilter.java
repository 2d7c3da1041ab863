package io.hoptrace.history;

import io.hoptrace.contract.HopId;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.LostAt;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The common questions about flows without SQL: source and destination (address or IPv4 CIDR,
 * matched on the initiator's tuple and on the NAT-ed last one), port (either side), verdict, a hop
 * of the lost-at segment, a time range (flows active in it), and a row limit. Each setter validates
 * its value ({@link IllegalArgumentException} saying what is wrong); {@link #sql()} gives the query
 * over the {@code flows} view, newest first.
 */
public final class FlowFilter {
  /** The columns the query returns, in order. */
  public static final List<String> COLUMNS =
      List.of(
          "conversation_id",
          "first_seen",
          "last_seen",
          "verdict",
          "final",
          "proto",
          "src",
          "sport",
          "dst",
          "dport",
          "nat_dst",
          "nat_dport",
          "lost_after",
          "lost_before",
          "lost_direction",
          "alert_types",
          "hop_path",
          "tuples");

  public static final int DEFAULT_LIMIT = 100;
  private static final Pattern VERDICT = Pattern.compile("[A-Z][A-Z0-9_]*");

  private AddressFilter src;
  private AddressFilter dst;
  private Integer port;
  private String verdict;
  private String lostAt;
  private Instant since;
  private Instant until;
  private int limit = DEFAULT_LIMIT;

  public FlowFilter src(String value) {
    this.src = AddressFilter.parse(value);
    return this;
  }

  public FlowFilter dst(String value) {
    this.dst = AddressFilter.parse(value);
    return this;
  }

  public FlowFilter port(int value) {
    if (value < 0 || value > 65535) {
      throw new IllegalArgumentException(value + ": must be 0..65535");
    }
    this.port = value;
    return this;
  }

  /** A verdict such as OK, ONE_WAY, REJECTED (any case). */
  public FlowFilter verdict(String value) {
    String v = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
    if (!VERDICT.matcher(v).matches()) {
      throw new IllegalArgumentException(
          "'" + value + "': not a verdict (OK, ONE_WAY, REJECTED, LOSSY, ...)");
    }
    this.verdict = v;
    return this;
  }

  /** A hop id ({@code node/iface} or {@code node/pod/iface}) on either side of the segment. */
  public FlowFilter lostAt(String hop) {
    try {
      this.lostAt = HopId.parse(hop == null ? null : hop.strip()).toString();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + hop + "': " + e.getMessage(), e);
    }
    return this;
  }

  public FlowFilter since(Instant t) {
    this.since = t;
    return this;
  }

  public FlowFilter until(Instant t) {
    this.until = t;
    return this;
  }

  public FlowFilter limit(int n) {
    if (n < 1) {
      throw new IllegalArgumentException(n + ": must be >= 1");
    }
    this.limit = n;
    return this;
  }

  /**
   * The same filter over a flow record as it comes from the {@code flows} topic (for {@code flows
   * --follow}), with the lost-at segment of the newest alert about it ({@code lostAt}, null if
   * none), as the {@code flows} view joins it; the limit does not apply.
   */
  public boolean test(FlowRecord f, LostAt lostAt) {
    List<FiveTuple> tuples = f.getTuples();
    FiveTuple first = tuples.isEmpty() ? null : tuples.get(0);
    FiveTuple last = tuples.isEmpty() ? null : tuples.get(tuples.size() - 1);
    if (first == null) {
      return src == null && dst == null && port == null && matchesRest(f, lostAt);
    }
    if (src != null && !src.matches(first.getSrc()) && !src.matches(last.getSrc())) {
      return false;
    }
    if (dst != null && !dst.matches(first.getDst()) && !dst.matches(last.getDst())) {
      return false;
    }
    if (port != null
        && first.getSport() != port
        && first.getDport() != port
        && last.getSport() != port
        && last.getDport() != port) {
      return false;
    }
    return matchesRest(f, lostAt);
  }

  /** Verdict, lost-at hop and time range. */
  private boolean matchesRest(FlowRecord f, LostAt lostAt) {
    if (verdict != null && !verdict.equals(f.getVerdict())) {
      return false;
    }
    if (this.lostAt != null
        && (lostAt == null
            || !(this.lostAt.equals(lostAt.getAfter())
                || this.lostAt.equals(lostAt.getBefore())))) {
      return false;
    }
    if (since != null && f.getLastSeen() < nanos(since)) {
      return false;
    }
    return until == null || f.getFirstSeen() <= nanos(until);
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** {@link #sql(long)} without a known longest flow span. */
  public String sql() {
    return sql(-1);
  }

  /**
   * The query over the {@code flows} view. A flow is stored under the hour it started, so {@code
   * until} bounds the hour partitions read from above and, when the store knows its longest flow
   * span ({@code maxSpanNanos} ≥ 0), {@code since} bounds them from below.
   *
   * @throws IllegalArgumentException when since is after until
   */
  public String sql(long maxSpanNanos) {
    if (since != null && until != null && since.isAfter(until)) {
      throw new IllegalArgumentException("since " + since + " is after until " + until);
    }
    List<String> where = new ArrayList<>();
    if (port != null) {
      where.add(
          "(sport = "
              + port
              + " OR dport = "
              + port
              + " OR nat_sport = "
              + port
              + " OR nat_dport = "
              + port
              + ")");
    }
    if (verdict != null) {
      where.add("verdict = " + Sql.quote(verdict));
    }
    if (lostAt != null) {
      String q = Sql.quote(lostAt);
      where.add("(lost_after = " + q + " OR lost_before = " + q + ")");
    }
    if (since != null) {
      where.add("last_seen >= " + Sql.timestamp(since));
      if (maxSpanNanos >= 0) {
        where.add(partitions(since.minusNanos(maxSpanNanos), ">"));
      }
    }
    if (until != null) {
      where.add("first_seen <= " + Sql.timestamp(until));
      where.add(partitions(until, "<"));
    }
    List<List<String>> alternatives = new ArrayList<>();
    if (src != null) {
      alternatives.add(
          List.of(src.condition("src", "src_ip4"), src.condition("nat_src", "nat_src_ip4")));
    }
    if (dst != null) {
      alternatives.add(
          List.of(dst.condition("dst", "dst_ip4"), dst.condition("nat_dst", "nat_dst_ip4")));
    }
    List<String> branches = new ArrayList<>();
    for (List<String> conditions : branches(alternatives)) {
      List<String> all = new ArrayList<>(conditions);
      all.addAll(where);
      branches.add(
          "SELECT "
              + String.join(", ", COLUMNS)
              + " FROM flows"
              + (all.isEmpty() ? "" : " WHERE " + String.join(" AND ", all)));
    }
    String order = " ORDER BY first_seen DESC, conversation_id LIMIT " + limit;
    if (branches.size() == 1) {
      return branches.get(0) + order;
    }
    return "SELECT * FROM (" + String.join(" UNION ALL ", branches) + ")" + order;
  }

  /**
   * An address filter matches the initiator's column or the NAT-ed one; an OR of two columns is not
   * pushed into DuckDB's Parquet scan (every row of the hours read is decoded, and the files' order
   * by destination skips nothing), so the query is a UNION ALL of branches with one column
   * condition per address filter, each made disjoint from the earlier ones ({@code NOT
   * coalesce(earlier, false)}): one branch per combination, each answered from the few row groups
   * whose statistics can match.
   */
  private static List<List<String>> branches(List<List<String>> alternatives) {
    List<List<String>> out = new ArrayList<>();
    out.add(List.of());
    for (List<String> alts : alternatives) {
      List<List<String>> next = new ArrayList<>();
      for (List<String> prefix : out) {
        for (int i = 0; i < alts.size(); i++) {
          List<String> b = new ArrayList<>(prefix);
          b.add(alts.get(i));
          for (int j = 0; j < i; j++) {
            b.add("NOT coalesce(" + alts.get(j) + ", false)");
          }
          next.add(b);
        }
      }
      out = next;
    }
    return out;
  }

  /** The hour partitions at or before ({@code "<"}) or at or after ({@code ">"}) time t. */
  private static String partitions(Instant t, String side) {
    long hour = Math.floorMod(Math.floorDiv(t.getEpochSecond(), 3600), 24);
    String day = "DATE '" + LocalDate.ofInstant(t, ZoneOffset.UTC) + "'";
    return "(date "
        + side
        + " "
        + day
        + " OR (date = "
        + day
        + " AND hour "
        + side
        + "= "
        + hour
        + "))";
  }
}
