package io.hoptrace.detect;

import static io.hoptrace.contract.HopId.ifaceOf;
import static io.hoptrace.contract.HopId.nodeOf;

import io.hoptrace.contract.IpProto;
import io.hoptrace.schema.FdbEntry;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.VtepInfo;
import java.util.ArrayList;
import java.util.List;

/** Plain-words hints, one per kind of lost-at segment, naming the addresses involved. */
public final class Hints {
  private Hints() {}

  /** Encapsulation seen at a hop in a direction, or null. */
  private static HopDir encapAt(Conversation c, String hop, int d) {
    for (HopSlot s : c.slots) {
      if (s.hop.equals(hop) && s.dir[d].encapType >= 0) {
        return s.dir[d];
      }
    }
    for (HopSlot s : c.slots) {
      if (s.node.equals(nodeOf(hop)) && s.dir[d].encapType >= 0) {
        return s.dir[d];
      }
    }
    return null;
  }

  private static InterfaceRole roleOf(Conversation c, List<PathPlanner.PathHop> path, String hop) {
    for (PathPlanner.PathHop p : path) {
      if (p.hop().equals(hop)) {
        return p.role();
      }
    }
    for (HopSlot s : c.slots) {
      if (s.hop.equals(hop)) {
        return s.role;
      }
    }
    return InterfaceRole.ANY;
  }

  public static String tunnelName(int encapType, int port) {
    if (encapType < 0) {
      return null;
    }
    return switch (StateCodes.encap(encapType)) {
      case VXLAN -> "VXLAN (UDP " + (port > 0 ? port : 8472) + ")";
      case GENEVE -> "Geneve (UDP " + (port > 0 ? port : 6081) + ")";
      case IPIP -> "IP-in-IP (IP protocol " + IpProto.IPIP + ")";
      case GRE -> "GRE (IP protocol " + IpProto.GRE + ")";
      default -> "encapsulated traffic";
    };
  }

  public static String tunnelFilter(int encapType, int port) {
    return switch (StateCodes.encap(encapType)) {
      case VXLAN, GENEVE -> port + "/udp";
      case IPIP -> "IP protocol " + IpProto.IPIP;
      case GRE -> "IP protocol " + IpProto.GRE;
      default -> "the tunnel traffic";
    };
  }

  /**
   * The sending node's registered VTEP address (what its peers' FDB entries say, else its VTEP's
   * local address) when the outer source is not one of them, or null.
   */
  public static String wrongSource(HopDir enc, String sender, InventoryIndex inv) {
    if (enc == null || enc.outerSrc == null || sender == null) {
      return null;
    }
    List<String> registered = inv.registeredVtepAddresses(sender);
    if (registered.isEmpty() || registered.contains(enc.outerSrc)) {
      return null;
    }
    return registered.get(0);
  }

  /** The hint for packets of direction d lost between after and before. */
  public static String lostAt(
      Conversation c,
      int d,
      String after,
      String before,
      List<PathPlanner.PathHop> path,
      InventoryIndex inv) {
    TupleInfo t = c.first();
    String src = d == 0 ? t.src : t.dst;
    String dst = d == 0 ? t.dst : t.src;
    int dport = d == 0 ? t.dport : t.sport;
    String what = d == 0 ? "packets" : "replies";
    if (after == null) {
      return "no packets of " + t.text() + " were matched on any hop";
    }
    String afterNode = nodeOf(after);
    if (before == null) {
      return what
          + " from "
          + src
          + " reach "
          + after
          + " but nothing answers: is anything listening on "
          + dst
          + (dport >= 0 ? ":" + dport : "")
          + ", or does a firewall on "
          + afterNode
          + " drop them?";
    }
    String beforeNode = nodeOf(before);
    HopDir enc = encapAt(c, after, d);
    String sender = enc != null ? inv.ownerOf(src) : null;
    if (sender == null && enc != null) {
      sender = afterNode;
    }
    String registered = wrongSource(enc, sender, inv);
    String outerSrc = enc != null ? enc.outerSrc : null;
    if (c.wrongSourceSender(d) != null) {
      // VTEP_MISMATCH established it for this direction: the cause, whatever the segment
      sender = c.wrongSourceSender(d);
      outerSrc = c.wrongSourceOuter(d);
      registered = c.wrongSourceRegistered(d);
    }
    if (registered != null && !afterNode.equals(sender)) {
      return what
          + " leave "
          + sender
          + " with source "
          + outerSrc
          + " which "
          + afterNode
          + " does not accept ("
          + sender
          + "'s registered VTEP address is "
          + registered
          + ", VTEP_MISMATCH): its reverse-path filter or VXLAN device drops them; pin the tunnel"
          + " source address on "
          + sender;
    }
    if (!afterNode.equals(beforeNode)) {
      if (enc != null) {
        String tun = tunnelName(enc.encapType, enc.outerDport);
        return tun
            + " from "
            + enc.outerSrc
            + " never reaches "
            + enc.outerDst
            + ": check firewalls/security groups between the nodes for "
            + tunnelFilter(enc.encapType, enc.outerDport)
            + (registered != null
                ? " (and note " + enc.outerSrc + " is not " + sender + "'s VTEP " + registered + ")"
                : "");
      }
      return what
          + " from "
          + src
          + " leave "
          + afterNode
          + " at "
          + after
          + " but never reach "
          + before
          + ": check routes and firewalls between "
          + afterNode
          + " and "
          + beforeNode;
    }
    InterfaceRole ra = roleOf(c, path, after);
    InterfaceRole rb = roleOf(c, path, before);
    int ka = PathPlanner.sendRank(ra);
    int kb = PathPlanner.sendRank(rb);
    if (ra == InterfaceRole.UPLINK && (rb == InterfaceRole.VTEP || rb == InterfaceRole.TUNNEL)) {
      HopDir e = enc != null ? enc : encapAt(c, after, d);
      if (e != null) {
        return "host firewall on "
            + afterNode
            + " drops "
            + tunnelFilter(e.encapType, e.outerDport)
            + " ("
            + tunnelName(e.encapType, e.outerDport)
            + " from "
            + e.outerSrc
            + " arrives on "
            + ifaceOf(after)
            + " but never reaches "
            + ifaceOf(before)
            + ")"
            + (e.outerSrc != null && e.outerSrc.indexOf(':') >= 0
                ? "; the tunnel runs over IPv6: check ip6tables (or nftables' ip6/inet tables),"
                    + " separate from the IPv4 rules"
                : "");
      }
      return "host firewall on " + afterNode + " drops the tunnel traffic before " + before;
    }
    if ((ra == InterfaceRole.VTEP || ra == InterfaceRole.TUNNEL) && rb == InterfaceRole.UPLINK) {
      String dev = ifaceOf(after);
      List<String> fdb = new ArrayList<>();
      for (VtepInfo v : inv.vteps(afterNode)) {
        if (v.getDevice().equals(dev)) {
          for (FdbEntry f : v.getFdb()) {
            String dstAddr = f.getDst();
            boolean known = !inv.vtepClaimants(dstAddr).isEmpty();
            fdb.add(dstAddr + (known ? "" : " (no node's VTEP address)"));
          }
        }
      }
      return "FDB/neighbour entry of "
          + dev
          + " on "
          + afterNode
          + " points to "
          + (fdb.isEmpty() ? "an address that is not reachable" : String.join(", ", fdb))
          + ": packets are encapsulated but never leave "
          + ifaceOf(before)
          + " (check `bridge fdb show dev "
          + dev
          + "` and `ip neigh show dev "
          + dev
          + "`)";
    }
    if (kb < ka) { // receiving node, after decapsulation or delivery inward
      return afterNode
          + " receives "
          + what
          + " for "
          + dst
          + " on "
          + ifaceOf(after)
          + " but does not forward them to "
          + ifaceOf(before)
          + ": check ip_forward, the FORWARD chain and network policies on "
          + afterNode;
    }
    return what
        + " from "
        + src
        + " leave "
        + ifaceOf(after)
        + " but never reach "
        + ifaceOf(before)
        + " on "
        + afterNode
        + ": check network policies, the FORWARD chain and the route to "
        + dst
        + " on "
        + afterNode;
  }

  public static String icmpCodeName(int ipVersion, int type, int code) {
    if (ipVersion == 6) {
      if (type == 1) {
        return switch (code) {
          case 0 -> "no route to destination";
          case 1 -> "administratively prohibited";
          case 2 -> "beyond scope of source address";
          case 3 -> "address unreachable";
          case 4 -> "port unreachable";
          case 5 -> "source address failed policy";
          case 6 -> "reject route";
          default -> "unreachable code " + code;
        };
      }
      if (type == 2) {
        return "packet too big";
      }
      return code == 0 ? "hop limit exceeded" : "fragment reassembly time exceeded";
    }
    if (type == 3) {
      return switch (code) {
        case 0 -> "net unreachable";
        case 1 -> "host unreachable";
        case 2 -> "protocol unreachable";
        case 3 -> "port unreachable";
        case 4 -> "fragmentation needed";
        case 5 -> "source route failed";
        case 6 -> "destination network unknown";
        case 7 -> "destination host unknown";
        case 9, 10, 13 -> "administratively prohibited";
        default -> "unreachable code " + code;
      };
    }
    return code == 0 ? "TTL exceeded" : "fragment reassembly time exceeded";
  }

  public static String icmp(
      int ipVersion,
      int type,
      int code,
      String reporter,
      String target,
      int proto,
      int port,
      int mtu,
      boolean underlay,
      String overlay) {
    String name = icmpCodeName(ipVersion, type, code);
    boolean unreach = (ipVersion == 4 && type == 3) || (ipVersion == 6 && type == 1);
    boolean portUnreach =
        (ipVersion == 4 && type == 3 && code == 3) || (ipVersion == 6 && type == 1 && code == 4);
    boolean tooBig = (ipVersion == 4 && type == 3 && code == 4) || (ipVersion == 6 && type == 2);
    boolean prohibited =
        (ipVersion == 4 && type == 3 && (code == 9 || code == 10 || code == 13))
            || (ipVersion == 6 && type == 1 && (code == 1 || code == 5 || code == 6));
    String tail =
        underlay
            ? "; the tunnel to "
                + target
                + " is broken, so overlay flows inside it fail"
                + (overlay != null ? " (e.g. " + overlay + ")" : "")
            : "";
    if (portUnreach) {
      return target
          + " rejects "
          + IpProto.nameOrNumber(proto)
          + (port >= 0 ? "/" + port : "")
          + ": nothing listens on that port (ICMP port unreachable from "
          + reporter
          + ")"
          + tail;
    }
    if (tooBig) {
      return reporter
          + " cannot forward packets to "
          + target
          + " without fragmenting ("
          + name
          + (mtu > 0 ? ", next-hop MTU " + mtu : "")
          + "): lower the MTU of the pods/VTEP or let these ICMP errors through"
          + tail;
    }
    if (prohibited) {
      return "a firewall at "
          + reporter
          + " rejects traffic to "
          + target
          + " ("
          + name
          + ")"
          + tail;
    }
    if (unreach) {
      return reporter
          + " reports "
          + target
          + " unreachable ("
          + name
          + "): check the route to "
          + target
          + " on "
          + reporter
          + " (ip route get "
          + target
          + ")"
          + tail;
    }
    return "packets to "
        + target
        + " expire at "
        + reporter
        + " ("
        + name
        + "): routing loop?"
        + tail;
  }
}
