package io.hoptrace.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One frame as tshark (the peer) dissected it, rebuilt into layers from {@code frame.protocols} and
 * the per-occurrence field lists written by {@code make-expected.sh}: the outer VLAN tags, the
 * encapsulation VNIs, the innermost IP packet (with its transport) and, for ICMP errors, the quoted
 * packet.
 */
final class TsharkExpectation {

  /** An IP layer with the transport tshark found right after it. */
  static final class IpLayer {
    String src;
    String dst;
    int proto = -1;
    int sport = -1;
    int dport = -1;
    int tcpFlags = -1;
    int icmpType = -1;
    int icmpCode = -1;
    boolean icmpError;

    @Override
    public String toString() {
      return src + " > " + dst + " proto " + proto + " ports " + sport + "/" + dport;
    }
  }

  final int frame;
  final String protocols;
  final List<Integer> outerVlans = new ArrayList<>();
  final List<Long> vnis = new ArrayList<>();
  IpLayer innermost;
  IpLayer quoted;
  final boolean malformed;

  private TsharkExpectation(int frame, String protocols, boolean malformed) {
    this.frame = frame;
    this.protocols = protocols;
    this.malformed = malformed;
  }

  static List<TsharkExpectation> read(Path tsv) throws IOException {
    List<String> lines = Files.readAllLines(tsv);
    String[] header = lines.get(0).split("\t", -1);
    Map<String, Integer> col = new HashMap<>();
    for (int i = 0; i < header.length; i++) {
      col.put(header[i], i);
    }
    List<TsharkExpectation> out = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      out.add(parse(f, col));
    }
    return out;
  }

  private static TsharkExpectation parse(String[] f, Map<String, Integer> col) {
    Fields v = new Fields(f, col);
    TsharkExpectation e =
        new TsharkExpectation(
            Integer.parseInt(v.raw("frame.number")),
            v.raw("frame.protocols"),
            !v.raw("_ws.malformed").isEmpty());
    Deque<String> vlan = v.list("vlan.id");
    Deque<String> qinq = v.list("ieee8021ad.id");
    Deque<String> ipSrc = v.list("ip.src");
    Deque<String> ipDst = v.list("ip.dst");
    Deque<String> ipProto = v.list("ip.proto");
    Deque<String> ip6Src = v.list("ipv6.src");
    Deque<String> ip6Dst = v.list("ipv6.dst");
    Deque<String> ip6Nxt = v.list("ipv6.nxt");
    Deque<String> udpS = v.list("udp.srcport");
    Deque<String> udpD = v.list("udp.dstport");
    Deque<String> tcpS = v.list("tcp.srcport");
    Deque<String> tcpD = v.list("tcp.dstport");
    Deque<String> tcpF = v.list("tcp.flags");
    Deque<String> vxlan = v.list("vxlan.vni");
    Deque<String> geneve = v.list("geneve.vni");
    Deque<String> icmpT = v.list("icmp.type");
    Deque<String> icmpC = v.list("icmp.code");
    Deque<String> icmp6T = v.list("icmpv6.type");
    Deque<String> icmp6C = v.list("icmpv6.code");

    boolean seenIp = false;
    boolean inQuote = false;
    IpLayer current = null;
    for (String p : e.protocols.split(":")) {
      switch (p) {
        case "vlan", "ieee8021ad" -> {
          String id = p.equals("vlan") ? vlan.poll() : qinq.poll();
          if (!seenIp && id != null) {
            e.outerVlans.add(Integer.parseInt(id));
          }
        }
        case "ip", "ipv6" -> {
          IpLayer l = new IpLayer();
          boolean v4 = p.equals("ip");
          l.src = v4 ? ipSrc.poll() : ip6Src.poll();
          l.dst = v4 ? ipDst.poll() : ip6Dst.poll();
          String proto = v4 ? ipProto.poll() : ip6Nxt.poll();
          l.proto = proto == null ? -1 : Integer.parseInt(proto);
          seenIp = true;
          if (inQuote) {
            if (e.quoted == null) {
              e.quoted = l;
            }
          } else {
            e.innermost = l;
          }
          current = l;
        }
        case "udp" -> {
          String s = udpS.poll();
          String d = udpD.poll();
          if (current != null && s != null && d != null && current.sport < 0) {
            current.proto = 17;
            current.sport = Integer.parseInt(s);
            current.dport = Integer.parseInt(d);
          }
        }
        case "tcp" -> {
          String s = tcpS.poll();
          String d = tcpD.poll();
          String fl = tcpF.poll();
          if (current != null && s != null && d != null && current.sport < 0) {
            current.proto = 6;
            current.sport = Integer.parseInt(s);
            current.dport = Integer.parseInt(d);
            current.tcpFlags = fl == null ? -1 : Integer.decode(fl);
          }
        }
        case "icmp", "icmpv6" -> {
          boolean v6 = p.equals("icmpv6");
          String t = v6 ? icmp6T.poll() : icmpT.poll();
          String c = v6 ? icmp6C.poll() : icmpC.poll();
          if (current != null && t != null && current.icmpType < 0 && !inQuote) {
            current.proto = v6 ? 58 : 1;
            current.icmpType = Integer.parseInt(t);
            current.icmpCode = c == null ? 0 : Integer.parseInt(c);
            current.icmpError = isError(v6, current.icmpType);
            inQuote = current.icmpError;
          }
        }
        case "vxlan" -> addVni(e, vxlan.poll());
        case "geneve" -> addVni(e, geneve.poll());
        default -> {
          // other protocols carry nothing we compare
        }
      }
    }
    return e;
  }

  private static void addVni(TsharkExpectation e, String vni) {
    if (vni != null) {
      e.vnis.add(Long.decode(vni));
    }
  }

  static boolean isError(boolean v6, int type) {
    return v6
        ? type >= 1 && type <= 4
        : type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
  }

  /** Field access over one TSV row; multi-occurrence fields are comma-separated. */
  private record Fields(String[] f, Map<String, Integer> col) {
    String raw(String name) {
      Integer i = col.get(name);
      return i == null || i >= f.length ? "" : f[i];
    }

    Deque<String> list(String name) {
      String r = raw(name);
      return r.isEmpty() ? new ArrayDeque<>() : new ArrayDeque<>(Arrays.asList(r.split(",")));
    }
  }
}
