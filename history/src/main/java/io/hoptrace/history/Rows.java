package io.hoptrace.history;

import io.hoptrace.contract.IpText;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.Evidence;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.HopStats;
import io.hoptrace.schema.LostAt;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.duckdb.DuckDBAppender;

/**
 * Flattens flow and alert records into rows of the {@link Dataset} columns, in their order, through
 * DuckDB appenders. A flow's addresses and ports are its first tuple's (the initiator's view);
 * {@code nat_*} are its last tuple's (the responder's side after NAT; the same when not NAT-ed).
 */
final class Rows {
  private static final long NANOS_PER_HOUR = 3_600_000_000_000L;
  private static final long HOURS_PER_DAY = 24;

  private Rows() {}

  /** Appends one flow record to the flows staging table. */
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
    a.append(text);
    a.append(List.copyOf(f.getCommunityIds()));
    List<String> path = new ArrayList<>(f.getHops().size());
    for (HopStats h : f.getHops()) {
      path.add(h.getHop());
    }
    a.append(path);
    partition(a, f.getFirstSeen());
    a.endRow();
  }

  /** Appends the per-hop, per-direction rows of one flow record to the flow_hops staging table. */
  static void hops(DuckDBAppender a, FlowRecord f) throws SQLException {
    List<HopStats> hops = f.getHops();
    for (int i = 0; i < hops.size(); i++) {
      HopStats h = hops.get(i);
      hop(a, f, i, h, "forward", h.getFwdPackets(), h.getFwdBytes(), h.getFwdRetransmissions());
      hop(a, f, i, h, "reverse", h.getRevPackets(), h.getRevBytes(), h.getRevRetransmissions());
    }
  }

  private static void hop(
      DuckDBAppender a,
      FlowRecord f,
      int index,
      HopStats h,
      String direction,
      long packets,
      long bytes,
      long retransmissions)
      throws SQLException {
    a.beginRow();
    a.append(f.getConversationId());
    a.appendEpochNanos(f.getFirstSeen());
    a.appendEpochNanos(f.getLastSeen());
    a.append(f.getFinal$());
    a.append(index);
    a.append(h.getHop());
    a.append(h.getNode());
    a.append(h.getRole().name());
    a.append(direction);
    a.append(packets);
    a.append(bytes);
    a.append(retransmissions);
    partition(a, f.getFirstSeen());
    a.endRow();
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
    a.append(e == null ? List.of() : List.copyOf(e.getHopsSeen()));
    a.append(e == null ? List.of() : List.copyOf(e.getHopsMissing()));
    a.append(e == null ? Map.of() : new TreeMap<>(e.getCounts()));
    a.append(e == null ? Map.of() : new TreeMap<>(e.getFacts()));
    a.append(e == null ? List.of() : List.copyOf(e.getSamples()));
    a.append(List.copyOf(r.getCommunityIds()));
    partition(a, r.getFirstSeen());
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
