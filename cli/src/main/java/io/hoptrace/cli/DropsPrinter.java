package io.hoptrace.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hoptrace.drops.DropFlow;
import io.hoptrace.drops.DropRecord;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.function.LongFunction;

/**
 * Prints a drop watch's records: JSON lines ({@code time, reason, reasonCode, netns, netnsName,
 * iface, proto, src, dst, sport, dport, encap, outer{proto, src, dst, sport, dport}, count}; the
 * flow is the inner one when the packet was encapsulated, {@code outer} only then) or an aligned
 * table, one row per key and second.
 */
final class DropsPrinter {
  /** The formats {@code --format} accepts. */
  enum Format {
    table,
    json
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROW = "%-8s %-22s %-12s %-14s %-5s %-21s %-21s %-45s %7s%n";

  private final Format format;
  private final PrintWriter out;
  private final LongFunction<String> netnsNames;
  private boolean headerDone;

  DropsPrinter(Format format, PrintWriter out, LongFunction<String> netnsNames) {
    this.format = format;
    this.out = out;
    this.netnsNames = netnsNames;
  }

  void print(Instant time, DropRecord r) {
    if (format == Format.json) {
      out.println(json(time, r, netnsNames.apply(r.netns())));
    } else {
      if (!headerDone) {
        out.printf(
            ROW, "TIME", "REASON", "NETNS", "IFACE", "PROTO", "SRC", "DST", "OUTER", "COUNT");
        headerDone = true;
      }
      DropFlow f = r.flow();
      DropFlow o = r.tunnel();
      out.printf(
          ROW,
          time.toString().substring(11, 19),
          r.reason(),
          name(r.netns()),
          r.iface().isEmpty() ? "-" : r.iface(),
          f == null ? "-" : f.protoName(),
          f == null ? "-" : endpoint(f.src(), ported(f) ? f.sport() : -1),
          f == null ? "-" : endpoint(f.dst(), ported(f) ? f.dport() : -1),
          o == null
              ? "-"
              : r.encap() + " " + endpoint(o.src(), o.sport()) + ">" + endpoint(o.dst(), o.dport()),
          r.count());
    }
  }

  private String name(long netns) {
    String n = netnsNames.apply(netns);
    return n != null ? n : Long.toString(netns);
  }

  void flush() {
    out.flush();
  }

  static String json(Instant time, DropRecord r, String netnsName) {
    ObjectNode o = JSON.createObjectNode();
    o.put("time", time.toString());
    o.put("reason", r.reason());
    o.put("reasonCode", r.reasonCode());
    o.put("netns", r.netns());
    if (netnsName != null) {
      o.put("netnsName", netnsName);
    }
    o.put("iface", r.iface());
    DropFlow f = r.flow();
    if (f != null) {
      tuple(o, f);
    }
    if (r.encap() != null) {
      o.put("encap", r.encap());
      tuple(o.putObject("outer"), r.outer());
    }
    o.put("count", r.count());
    return o.toString();
  }

  private static void tuple(ObjectNode o, DropFlow f) {
    o.put("proto", f.proto());
    o.put("src", f.src());
    o.put("dst", f.dst());
    o.put("sport", f.sport());
    o.put("dport", f.dport());
  }

  /** The table shows TCP's and UDP's ports; ICMP's key ports (echo id) are in the JSON only. */
  private static boolean ported(DropFlow f) {
    return f.proto() == 6 || f.proto() == 17;
  }

  private static String endpoint(String addr, int port) {
    return port < 0 ? addr : addr + ":" + port;
  }
}
