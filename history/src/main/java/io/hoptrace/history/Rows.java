package io.hoptrace.history;

import io.hoptrace.contract.IpText;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.Evidence;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.HopStats;
import io.hoptrace.schema.Incident;
import io.hoptrace.schema.LostAt;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.duckdb.DuckDBAppender;

/**
 * Flattens flow, alert and incident records into rows of the {@link Dataset} columns, in their
 * order, through DuckDB appenders. A flow's addresses and ports are its first tuple's (the
 * initiator's view); {@code nat_*} are its last tuple's (the responder's side after NAT; the same
 * when not NAT-ed).
 */
final class Rows {
  private static final long NANOS_PER_HOUR = 3_600_000_000_000L;
  private static final long HOURS_PER_DAY = 24;

  private Rows() {}

  /** Appends one flow record to the flows staging table (with its per-hop lists). */
  static void flow(DuckDBAppender a, FlowRecord f) throws SQLException {
    List<FiveTuple> tuples = f.getTuples();
    FiveTuple first = tuples.isEmpty() ? null : tuples.get(0);
    FiveTuple last = tuples.isEmpty() ? null : tuples.get(tuples.size() - 1);
    a.beginRow();
    a.append(f.getConversationId());
    a.appendEpochNanos(f.getFirstSeen());
    a.appendEpochNanos(f.getLastSeen());
    a.append(f.getVerdict());
    a.append(f.getFinal$());
    string(a, f.getTcpState());
    integer(a, first == null ? null : first.getIpVersion());
    integer(a, first == null ? null : first.getProto());
    endpoint(a, first == null ? null : first.getSrc(), first == null ? -1 : first.getSport());
    endpoint(a, first == null ? null : first.getDst(), first == null ? -1 : first.getDport());
    ip4(a, first == null ? null : first.getSrc());
    ip4(a, first == null ? null : first.getDst());
    endpoint(a, last == null ? null : last.getSrc(), last == null ? -1 : last.getSport());
    endpoint(a, last == null ? null : last.getDst(), last == null ? -1 : last.getDport());
    ip4(a, last == null ? null : last.getSrc());
    ip4(a, last == null ? null : last.getDst());
    List<String> text = new ArrayList<>(tuples.size());
    for (FiveTuple t : tuples) {
      text.add(tupleText(t));
    }
    a.append(list(text));
    a.append(list(f.getCommunityIds()));
    List<String> path = new ArrayList<>(f.getHops().size());
    for (HopStats h : f.getHops()) {
      path.add(h.getHop());
    }
    a.append(list(path));
    partition(a, f.getFirstSeen());
    hopLists(a, f);
    a.endRow();
  }

  /**
   * The per-hop lists a flow's staging row carries after its partition columns (hop ids are {@code
   * hop_path}); the {@code flow_hops} files are made from them by {@link #HOPS_SELECT}, set-based,
   * instead of appending one row per hop and direction.
   */
  static final String HOP_LISTS_DDL =
      "h_node VARCHAR, h_role VARCHAR, h_fwd_packets VARCHAR, h_fwd_bytes VARCHAR, h_fwd_retx"
          + " VARCHAR, h_rev_packets VARCHAR, h_rev_bytes VARCHAR, h_rev_retx VARCHAR";

  /** Separates the items of a list staged as text. */
  private static final char SEP = '\u001f';

  /**
   * The {@code flow_hops} rows (the {@link Dataset#FLOW_HOPS} columns, in order, then date and
   * hour) of the flows staging table {@code %1$s}: one per hop and direction.
   */
  static final String HOPS_SELECT =
      "SELECT conversation_id, first_seen, last_seen, final, unnest(range(len(%2$s)))::INTEGER"
          + " AS hop_index, unnest(%2$s) AS hop, unnest(%3$s) AS node, unnest(%4$s) AS role,"
          + " 'forward' AS direction, unnest(%5$s) AS packets, unnest(%6$s) AS bytes,"
          + " unnest(%7$s) AS retransmissions, date, hour FROM %1$s UNION ALL SELECT"
          + " conversation_id, first_seen, last_seen, final, unnest(range(len(%2$s)))::INTEGER,"
          + " unnest(%2$s), unnest(%3$s), unnest(%4$s), 'reverse', unnest(%8$s), unnest(%9$s),"
          + " unnest(%10$s), date, hour FROM %1$s";

  /** {@link #HOPS_SELECT} over the staging table {@code table}. */
  static String hopsSelect(String table) {
    return String.format(
        HOPS_SELECT,
        table,
        decodeList("hop_path", "VARCHAR[]"),
        decodeList("h_node", "VARCHAR[]"),
        decodeList("h_role", "VARCHAR[]"),
        decodeList("h_fwd_packets", "BIGINT[]"),
        decodeList("h_fwd_bytes", "BIGINT[]"),
        decodeList("h_fwd_retx", "BIGINT[]"),
        decodeList("h_rev_packets", "BIGINT[]"),
        decodeList("h_rev_bytes", "BIGINT[]"),
        decodeList("h_rev_retx", "BIGINT[]"));
  }

  /** SQL turning a list staged as text ({@link #list}) back into a {@code type} list. */
  static String decodeList(String column, String type) {
    String items = "string_split(" + column + ", chr(31))";
    String typed =
        type.equals("VARCHAR[]")
            ? items
            : "list_transform(" + items + ", lambda x: x::" + type.replace("[]", "") + ")";
    return "CASE WHEN " + column + " = '' THEN []::" + type + " ELSE " + typed + " END";
  }

  /** A list staged as text: items joined by U+001F (hop ids, addresses and ids never hold it). */
  static String list(Iterable<?> items) {
    StringBuilder b = new StringBuilder();
    for (Object o : items) {
      if (b.length() > 0) {
        b.append(SEP);
      }
      b.append(o);
    }
    return b.toString();
  }

  private static void hopLists(DuckDBAppender a, FlowRecord f) throws SQLException {
    List<HopStats> hops = f.getHops();
    int n = hops.size();
    List<String> node = new ArrayList<>(n);
    List<String> role = new ArrayList<>(n);
    List<List<Long>> v = new ArrayList<>();
    for (int k = 0; k < 6; k++) {
      v.add(new ArrayList<>(n));
    }
    for (int i = 0; i < n; i++) {
      HopStats h = hops.get(i);
      node.add(h.getNode());
      role.add(h.getRole().name());
      v.get(0).add(h.getFwdPackets());
      v.get(1).add(h.getFwdBytes());
      v.get(2).add(h.getFwdRetransmissions());
      v.get(3).add(h.getRevPackets());
      v.get(4).add(h.getRevBytes());
      v.get(5).add(h.getRevRetransmissions());
    }
    a.append(list(node));
    a.append(list(role));
    for (List<Long> column : v) {
      a.append(list(column));
    }
  }

  /** Appends one alert record to the alerts staging table. */
  static void alert(DuckDBAppender a, Alert r) throws SQLException {
    AlertSubject s = r.getSubject();
    LostAt l = r.getLostAt();
    Evidence e = r.getEvidence();
    a.beginRow();
    a.append(r.getId());
    a.append(r.getType().name());
    a.append(r.getSeverity().name());
    a.append(r.getStatus().name());
    a.appendEpochNanos(r.getFirstSeen());
    a.appendEpochNanos(r.getLastSeen());
    a.append(r.getCount());
    a.append(s.getKind());
    string(a, s.getSrc());
    string(a, s.getDst());
    ip4(a, s.getSrc());
    ip4(a, s.getDst());
    integer(a, s.getProto() < 0 ? null : s.getProto());
    integer(a, s.getSport() < 0 ? null : s.getSport());
    integer(a, s.getDport() < 0 ? null : s.getDport());
    string(a, s.getNode());
    string(a, s.getVtep());
    string(a, s.getConversationId());
    string(a, l == null ? null : l.getAfter());
    string(a, l == null ? null : l.getBefore());
    string(a, l == null ? null : l.getDirection());
    a.append(r.getHint());
    a.append(list(e == null ? List.of() : e.getHopsSeen()));
    a.append(list(e == null ? List.of() : e.getHopsMissing()));
    a.append(e == null ? Map.of() : new TreeMap<>(e.getCounts()));
    a.append(e == null ? Map.of() : new TreeMap<>(e.getFacts()));
    a.append(list(e == null ? List.of() : e.getSamples()));
    a.append(list(r.getCommunityIds()));
    partition(a, r.getFirstSeen());
    a.endRow();
  }

  /** Appends one incident record to the incidents staging table. */
  static void incident(DuckDBAppender a, Incident i) throws SQLException {
    LostAt l = i.getLostAt();
    a.beginRow();
    a.append(i.getId());
    a.append(i.getStatus().name());
    a.append(i.getSeverity().name());
    a.append(i.getCauseKind());
    a.append(i.getCauseKey());
    a.append(i.getCause());
    string(a, l == null ? null : l.getAfter());
    string(a, l == null ? null : l.getBefore());
    string(a, l == null ? null : l.getDirection());
    a.appendEpochNanos(i.getFirstSeen());
    a.appendEpochNanos(i.getLastSeen());
    a.append(list(i.getAlertIds()));
    a.append(list(i.getAlertTypes()));
    a.append(list(i.getFiringAlertIds()));
    partition(a, i.getFirstSeen());
    a.endRow();
  }

  /** {@code proto src:sport > dst:dport} (ports left out when the protocol has none). */
  static String tupleText(FiveTuple t) {
    return t.getProto()
        + " "
        + hostPort(t.getSrc(), t.getSport())
        + " > "
        + hostPort(t.getDst(), t.getDport());
  }

  private static String hostPort(String ip, int port) {
    String host = ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    return port < 0 ? host : host + ":" + port;
  }

  /** The partition of an event time: days since the epoch and hour of day (UTC). */
  static long epochHour(long nanos) {
    return Math.floorDiv(nanos, NANOS_PER_HOUR);
  }

  private static void partition(DuckDBAppender a, long nanos) throws SQLException {
    long hour = epochHour(nanos);
    a.appendEpochDays((int) Math.floorDiv(hour, HOURS_PER_DAY));
    a.append((int) Math.floorMod(hour, HOURS_PER_DAY));
  }

  private static void endpoint(DuckDBAppender a, String ip, int port) throws SQLException {
    string(a, ip);
    integer(a, port < 0 ? null : port);
  }

  private static void ip4(DuckDBAppender a, String ip) throws SQLException {
    long v = IpText.v4(ip);
    if (v < 0) {
      a.appendNull();
    } else {
      a.append(v);
    }
  }

  private static void string(DuckDBAppender a, String v) throws SQLException {
    if (v == null) {
      a.appendNull();
    } else {
      a.append(v);
    }
  }

  private static void integer(DuckDBAppender a, Integer v) throws SQLException {
    if (v == null) {
      a.appendNull();
    } else {
      a.append(v.intValue());
    }
  }
}
