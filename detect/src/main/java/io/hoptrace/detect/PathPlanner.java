package io.hoptrace.detect;

import io.hoptrace.contract.HopId;
import io.hoptrace.schema.InterfaceRole;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The expected hop path of one direction of a conversation (SPEC section 4): per 5-tuple, the
 * sending node's hops (pod, veth, bridge, VTEP/tunnel, uplink), hops of transit nodes, then the
 * receiving node's hops in reverse; hops without a sensor are absent. Hops the conversation never
 * crossed are added from the hops known to have a sensor and from the inventory's interfaces on the
 * sending and receiving nodes, so that "the first expected hop that did not see it" can be a hop of
 * the far node. Hops of role ANY ({@code -i any}) are not part of the path.
 */
public final class PathPlanner {
  /** One hop of a path: a slot index of the conversation, or -1 for an unobserved hop. */
  public record PathHop(String hop, String node, InterfaceRole role, int slot) {}

  private enum Order {
    SEND,
    RECV,
    TIME
  }

  private final InventoryIndex inventory;
  private final Function<String, List<HopInfo>> registry;

  /** Changes whenever {@link #registry} may answer differently; -1: plans are not cached. */
  private final long registryVersion;

  /** A planner whose plans are not cached. */
  public PathPlanner(InventoryIndex inventory, Function<String, List<HopInfo>> registry) {
    this(inventory, registry, -1);
  }

  /**
   * A planner that keeps each conversation's last plans ({@link PlanCache}) and re-plans only when
   * what a plan reads changed; {@code registryVersion} must change whenever {@code registry} may
   * answer differently.
   */
  PathPlanner(
      InventoryIndex inventory, Function<String, List<HopInfo>> registry, long registryVersion) {
    this.inventory = inventory;
    this.registry = registry;
    this.registryVersion = registryVersion;
  }

  static int sendRank(InterfaceRole r) {
    return switch (r) {
      case POD -> 0;
      case VETH -> 1;
      case BRIDGE -> 2;
      case VTEP, TUNNEL -> 3;
      case UPLINK -> 4;
      default -> 2;
    };
  }

  /** Sender (d=0: initiator) and receiver node of a tuple in direction d, null when unknown. */
  String[] ends(Conversation c, int tupleIdx, int d) {
    TupleInfo t = c.tuples.get(tupleIdx);
    String from = d == 0 ? t.src : t.dst;
    String to = d == 0 ? t.dst : t.src;
    String s = inventory.ownerOf(from);
    String r = inventory.ownerOf(to);
    if (r == null || s == null) {
      for (HopSlot slot : c.slots) {
        HopDir h = slot.dir[d];
        if (slot.tuple == tupleIdx && h.outerDst != null) {
          if (r == null) {
            r = inventory.ownerOf(h.outerDst);
          }
          if (s == null) {
            s = inventory.ownerOf(h.outerSrc);
          }
        }
      }
    }
    return new String[] {s, r, from, to};
  }

  /** The expected path of direction d (read only). */
  public List<PathHop> plan(Conversation c, int d) {
    if (registryVersion < 0) {
      return planAfresh(c, d);
    }
    if (c.plans == null) {
      c.plans = new PlanCache();
    }
    List<PathHop> p = c.plans.get(c, d, inventory, registryVersion);
    if (p == null) {
      p = c.plans.put(c, d, inventory, registryVersion, planAfresh(c, d));
    }
    return p;
  }

  private List<PathHop> planAfresh(Conversation c, int d) {
    List<List<PathHop>> groups = new ArrayList<>();
    List<String> groupNode = new ArrayList<>();
    List<Order> groupOrder = new ArrayList<>();
    Map<String, Integer> lastSendGroup = new LinkedHashMap<>();
    Map<String, Integer> firstRecvGroup = new LinkedHashMap<>();
    Map<String, Boolean> sendAll = new LinkedHashMap<>();
    Map<String, Boolean> recvAll = new LinkedHashMap<>();
    int n = c.tuples.size();
    for (int k = 0; k < n; k++) {
      int t = d == 0 ? k : n - 1 - k;
      String[] e = ends(c, t, d);
      String s = e[0];
      String r = e[1];
      List<Integer> slotsT = new ArrayList<>();
      for (int i = 0; i < c.slots.size(); i++) {
        HopSlot h = c.slots.get(i);
        if (h.tuple == t && h.role != InterfaceRole.ANY) {
          slotsT.add(i);
        }
      }
      if (s != null && s.equals(r)) {
        addGroup(c, d, groups, groupNode, groupOrder, s, Order.TIME, slotsT);
        continue;
      }
      if (s != null) {
        lastSendGroup.put(s, groups.size());
        sendAll.put(s, inventory.isPodAddress(e[2]));
        addGroup(c, d, groups, groupNode, groupOrder, s, Order.SEND, slotsT);
      }
      // transit or unknown nodes, by first sighting
      Map<String, Long> others = new LinkedHashMap<>();
      for (int i : slotsT) {
        HopSlot h = c.slots.get(i);
        if (!h.node.equals(s) && !h.node.equals(r)) {
          long ts = h.firstTs(d) >= 0 ? h.firstTs(d) : Long.MAX_VALUE;
          others.merge(h.node, ts, Math::min);
        }
      }
      others.entrySet().stream()
          .sorted(
              Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
          .forEach(
              en -> addGroup(c, d, groups, groupNode, groupOrder, en.getKey(), Order.TIME, slotsT));
      if (r != null) {
        firstRecvGroup.putIfAbsent(r, groups.size());
        recvAll.putIfAbsent(r, inventory.isPodAddress(e[3]));
        addGroup(c, d, groups, groupNode, groupOrder, r, Order.RECV, slotsT);
      }
    }
    // hops the conversation never crossed, on its sending and receiving nodes
    Set<String> placed = new HashSet<>();
    for (Map.Entry<String, Integer> en : firstRecvGroup.entrySet()) {
      addCandidates(
          c, groups.get(en.getValue()), en.getKey(), recvAll.getOrDefault(en.getKey(), false));
      placed.add(en.getKey());
    }
    for (Map.Entry<String, Integer> en : lastSendGroup.entrySet()) {
      if (!placed.contains(en.getKey())) {
        addCandidates(
            c, groups.get(en.getValue()), en.getKey(), sendAll.getOrDefault(en.getKey(), false));
      }
    }
    List<PathHop> out = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      List<PathHop> grp = groups.get(g);
      sort(c, d, grp, groupOrder.get(g));
      out.addAll(grp);
    }
    return out;
  }

  private void addGroup(
      Conversation c,
      int d,
      List<List<PathHop>> groups,
      List<String> groupNode,
      List<Order> groupOrder,
      String node,
      Order order,
      List<Integer> slotsT) {
    List<PathHop> grp = new ArrayList<>();
    for (int i : slotsT) {
      HopSlot h = c.slots.get(i);
      if (h.node.equals(node)) {
        grp.add(new PathHop(h.hop, h.node, h.role, i));
      }
    }
    groups.add(grp);
    groupNode.add(node);
    groupOrder.add(order);
  }

  private void addCandidates(Conversation c, List<PathHop> grp, String node, boolean podEndpoint) {
    Set<String> seenOnNode = new HashSet<>();
    for (HopSlot h : c.slots) {
      if (h.node.equals(node)) {
        seenOnNode.add(h.hop);
      }
    }
    // hops whose sensor has reported packets, plus the node's infrastructure interfaces from its
    // inventory: a sensor on an interface that never saw a packet (e.g. the VTEP behind a host
    // firewall that drops all VXLAN) reports nothing, yet is the hop where the packets are lost
    List<HopInfo> known = registry.apply(node);
    List<PathHop> cands = new ArrayList<>();
    int family = family(c);
    if (known != null) {
      for (HopInfo h : known) {
        if (h.pod() == null
            && isInfra(h.role(), podEndpoint)
            && !otherFamily(node, h.hop(), h.role(), family)
            && seenOnNode.add(h.hop())) {
          cands.add(new PathHop(h.hop(), node, h.role(), -1));
        }
      }
    }
    for (InventoryIndex.InfraHop h : inventory.infraHops(node)) {
      if (isInfra(h.role(), podEndpoint)
          && !otherFamily(node, h.hop(), h.role(), family)
          && seenOnNode.add(h.hop())) {
        cands.add(new PathHop(h.hop(), node, h.role(), -1));
      }
    }
    grp.addAll(cands);
  }

  /** 4 or 6: the address family of the conversation's packets (its first tuple's). */
  private static int family(Conversation c) {
    return c.tuples.isEmpty() || c.tuples.get(0).src == null || c.tuples.get(0).src.indexOf(':') < 0
        ? 4
        : 6;
  }

  /**
   * Whether a VTEP hop encapsulates another address family than the conversation's (a dual-stack
   * node's {@code flannel.1} for an IPv6 flow): such a hop is never on the flow's path.
   */
  private boolean otherFamily(String node, String hop, InterfaceRole role, int family) {
    if (role != InterfaceRole.VTEP && role != InterfaceRole.TUNNEL) {
      return false;
    }
    int f = inventory.vtepFamily(node, HopId.ifaceOf(hop));
    return f != 0 && f != family;
  }

  private static boolean isInfra(InterfaceRole r, boolean podEndpoint) {
    if (r == InterfaceRole.UPLINK) {
      return true;
    }
    return podEndpoint
        && (r == InterfaceRole.VTEP || r == InterfaceRole.TUNNEL || r == InterfaceRole.BRIDGE);
  }

  private static void sort(Conversation c, int d, List<PathHop> grp, Order order) {
    Comparator<PathHop> byTime =
        Comparator.comparingLong(
            (PathHop p) -> {
              if (p.slot() < 0) {
                return Long.MAX_VALUE;
              }
              HopSlot s = c.slots.get(p.slot());
              if (s.firstTs(d) >= 0) {
                return s.firstTs(d);
              }
              long o = s.firstTs(1 - d);
              return o >= 0 ? Long.MAX_VALUE / 2 - o : Long.MAX_VALUE;
            });
    Comparator<PathHop> cmp =
        switch (order) {
          case SEND ->
              Comparator.comparingInt((PathHop p) -> sendRank(p.role())).thenComparing(byTime);
          case RECV ->
              Comparator.comparingInt((PathHop p) -> -sendRank(p.role())).thenComparing(byTime);
          case TIME -> byTime;
        };
    grp.sort(cmp.thenComparing(PathHop::hop));
  }
}
