package io.hoptrace.detect;

import io.hoptrace.contract.HopId;
import io.hoptrace.detect.net.Cidr;
import io.hoptrace.detect.net.Ip;
import io.hoptrace.schema.FdbEntry;
import io.hoptrace.schema.InterfaceInfo;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.VtepInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Lookups over all nodes' inventories: who owns an address, who claims a VTEP address, ... */
public final class InventoryIndex {
  /** An inventory hop that packets of any flow may cross on a node. */
  public record InfraHop(String hop, String node, InterfaceRole role, int mtu) {}

  /** A FDB entry of a VTEP that points to no node's VTEP address. */
  public record BadFdb(String node, String device, String mac, String dst) {}

  private final Map<String, NodeInventory> nodes = new TreeMap<>();
  private final Map<String, String> exactOwner = new HashMap<>();
  private final List<Map.Entry<Cidr, String>> podCidrs = new ArrayList<>();
  private final Map<String, List<String>> vtepClaims = new TreeMap<>();
  private final Set<String> subnetBroadcasts = new HashSet<>();
  private final long signature;

  public static final InventoryIndex EMPTY = new InventoryIndex(List.of());

  public InventoryIndex(Iterable<NodeInventory> inventories) {
    long sig = 17;
    for (NodeInventory n : inventories) {
      nodes.put(n.getNode(), n);
      sig = sig * 31 + n.getNode().hashCode() * 7L + n.getTsNanos();
    }
    this.signature = sig;
    for (NodeInventory n : nodes.values()) {
      for (String a : n.getAddresses()) {
        exactOwner.putIfAbsent(Ip.canonical(stripLen(a)), n.getNode());
      }
      for (InterfaceInfo i : n.getInterfaces()) {
        for (String a : i.getAddresses()) {
          addBroadcast(a.indexOf('/') >= 0 ? a : null);
        }
        if (i.getPod() == null) {
          for (String a : i.getAddresses()) {
            exactOwner.putIfAbsent(Ip.canonical(stripLen(a)), n.getNode());
          }
        }
      }
      for (VtepInfo v : n.getVteps()) {
        if (v.getLocal() != null) {
          String local = Ip.canonical(v.getLocal());
          exactOwner.putIfAbsent(local, n.getNode());
          List<String> claim = vtepClaims.computeIfAbsent(local, k -> new ArrayList<>());
          if (!claim.contains(n.getNode())) {
            claim.add(n.getNode());
          }
        }
      }
      // v1 writers have podCidr only; v2 list every family's in podCidrs (podCidr is the first)
      Set<String> cidrs = new LinkedHashSet<>();
      if (n.getPodCidr() != null) {
        cidrs.add(n.getPodCidr());
      }
      cidrs.addAll(n.getPodCidrs());
      for (String cidr : cidrs) {
        Cidr c = Cidr.parse(cidr);
        if (c != null) {
          podCidrs.add(Map.entry(c, n.getNode()));
          addBroadcast(cidr);
        }
      }
    }
  }

  private void addBroadcast(String prefix) {
    Cidr c = prefix == null ? null : Cidr.parse(prefix);
    String b = c == null ? null : c.broadcast();
    if (b != null) {
      subnetBroadcasts.add(b);
    }
  }

  /**
   * Whether an address has no unicast path: multicast, the limited broadcast, or the broadcast
   * address of a pod CIDR or of a node interface's subnet the inventory lists.
   */
  public boolean noUnicastPath(String canonical) {
    return Ip.isMulticastOrBroadcast(canonical) || subnetBroadcasts.contains(canonical);
  }

  /** Cheap fingerprint of the inputs, to skip rebuilding an unchanged index. */
  public static long signatureOf(Iterable<NodeInventory> inventories) {
    long sig = 17;
    for (NodeInventory n : inventories) {
      sig = sig * 31 + n.getNode().hashCode() * 7L + n.getTsNanos();
    }
    return sig;
  }

  public long signature() {
    return signature;
  }

  public boolean isEmpty() {
    return nodes.isEmpty();
  }

  public NodeInventory node(String name) {
    return nodes.get(name);
  }

  /** The node an address is local to (node, interface or VTEP address, or in its pod CIDR). */
  public String ownerOf(String addr) {
    if (addr == null) {
      return null;
    }
    String exact = exactOwner.get(Ip.canonical(addr));
    if (exact != null) {
      return exact;
    }
    byte[] b = Ip.parse(addr);
    for (Map.Entry<Cidr, String> e : podCidrs) {
      if (e.getKey().contains(b)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** True when the address is in a node's pod CIDR and is not a node's own address. */
  public boolean isPodAddress(String addr) {
    if (addr == null || exactOwner.containsKey(Ip.canonical(addr))) {
      return false;
    }
    byte[] b = Ip.parse(addr);
    for (Map.Entry<Cidr, String> e : podCidrs) {
      if (e.getKey().contains(b)) {
        return true;
      }
    }
    return false;
  }

  /** Nodes whose VTEP uses this local address (empty if none). */
  public List<String> vtepClaimants(String addr) {
    List<String> c = vtepClaims.get(Ip.canonical(addr));
    return c == null ? List.of() : Collections.unmodifiableList(c);
  }

  /** VTEP addresses claimed by more than one node, with the claimants. */
  public Map<String, List<String>> duplicateVtepClaims() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    vtepClaims.forEach(
        (addr, claim) -> {
          if (claim.size() > 1) {
            out.put(addr, List.copyOf(claim));
          }
        });
    return out;
  }

  /**
   * Whether {@code addr} is an own (uplink) address of a node that has a VTEP: encapsulated packets
   * sent there reach that node even when its VTEP's {@code local} is another of its addresses.
   */
  public boolean isVtepNodeAddress(String addr) {
    if (addr == null) {
      return false;
    }
    String owner = exactOwner.get(Ip.canonical(addr));
    NodeInventory n = owner == null ? null : nodes.get(owner);
    return n != null && !n.getVteps().isEmpty();
  }

  /**
   * The outer addresses a node's peers expect its encapsulated packets from: the destinations of
   * the other nodes' FDB entries that belong to this node (what the peers registered for it, e.g.
   * flannel's public-ip), or, when no peer's FDB names it, its own VTEP {@code local} addresses.
   */
  public List<String> registeredVtepAddresses(String node) {
    List<String> out = new ArrayList<>();
    for (NodeInventory peer : nodes.values()) {
      if (peer.getNode().equals(node)) {
        continue;
      }
      for (VtepInfo v : peer.getVteps()) {
        for (FdbEntry f : v.getFdb()) {
          String dst = Ip.canonical(f.getDst());
          if (node.equals(exactOwner.get(dst)) && !out.contains(dst)) {
            out.add(dst);
          }
        }
      }
    }
    if (out.isEmpty()) {
      for (VtepInfo v : vteps(node)) {
        if (v.getLocal() != null && !out.contains(Ip.canonical(v.getLocal()))) {
          out.add(Ip.canonical(v.getLocal()));
        }
      }
    }
    return out;
  }

  /** FDB entries that point to no node's VTEP address (nor to an address of a VTEP node). */
  public List<BadFdb> badFdbEntries() {
    List<BadFdb> out = new ArrayList<>();
    if (vtepClaims.isEmpty()) {
      return out;
    }
    for (NodeInventory n : nodes.values()) {
      for (VtepInfo v : n.getVteps()) {
        for (FdbEntry f : v.getFdb()) {
          String dst = Ip.canonical(f.getDst());
          boolean multicastOrZero = dst.equals("0.0.0.0") || dst.startsWith("239.");
          if (!multicastOrZero && !vtepClaims.containsKey(dst) && !isVtepNodeAddress(dst)) {
            out.add(new BadFdb(n.getNode(), v.getDevice(), f.getMac(), dst));
          }
        }
      }
    }
    return out;
  }

  /** Whether any node registers VTEPs (otherwise VTEP checks are skipped). */
  public boolean knowsVteps() {
    return !vtepClaims.isEmpty();
  }

  /** The VTEPs of a node (empty if unknown). */
  public List<VtepInfo> vteps(String node) {
    NodeInventory n = nodes.get(node);
    return n == null ? List.of() : n.getVteps();
  }

  /** The registered VTEP of a node for a UDP port (or the only one); null if none. */
  public VtepInfo vtep(String node, int port) {
    List<VtepInfo> vs = vteps(node);
    for (VtepInfo v : vs) {
      if (port > 0 && v.getPort() == port) {
        return v;
      }
    }
    return vs.isEmpty() ? null : vs.get(0);
  }

  /**
   * The address family (4 or 6) a node's VTEP device encapsulates in, from its local address; 0
   * when the device is no VTEP of the inventory or its family is unknown. A dual-stack flannel node
   * has one VTEP per family ({@code flannel.1}, {@code flannel-v6.1}): an IPv6 pod packet never
   * crosses the IPv4 one.
   */
  public int vtepFamily(String node, String device) {
    for (VtepInfo v : vteps(node)) {
      if (v.getDevice().equals(device) && v.getLocal() != null) {
        return Ip.parse(v.getLocal()) == null ? 0 : Ip.parse(v.getLocal()).length == 16 ? 6 : 4;
      }
    }
    return 0;
  }

  /** Uplink, VTEP/tunnel and bridge interfaces of a node, as hops. */
  public List<InfraHop> infraHops(String node) {
    NodeInventory n = nodes.get(node);
    if (n == null) {
      return List.of();
    }
    List<InfraHop> out = new ArrayList<>();
    for (InterfaceInfo i : n.getInterfaces()) {
      InterfaceRole r = i.getRole();
      if (i.getPod() == null
          && (r == InterfaceRole.UPLINK
              || r == InterfaceRole.VTEP
              || r == InterfaceRole.TUNNEL
              || r == InterfaceRole.BRIDGE)) {
        out.add(new InfraHop(HopId.format(node, null, i.getName()), node, r, i.getMtu()));
      }
    }
    return out;
  }

  /** MTU of a node's interface, -1 if unknown. */
  public int mtu(String node, String iface) {
    NodeInventory n = nodes.get(node);
    if (n == null) {
      return -1;
    }
    for (InterfaceInfo i : n.getInterfaces()) {
      if (i.getName().equals(iface)) {
        return i.getMtu();
      }
    }
    for (VtepInfo v : n.getVteps()) {
      if (v.getDevice().equals(iface)) {
        return v.getMtu();
      }
    }
    return -1;
  }

  /**
   * MTU of the interface of a hop id ({@code node/iface} or {@code node/pod/iface}: a pod's
   * interface is matched with its pod), -1 if unknown.
   */
  public int hopMtu(String hopId) {
    String node = HopId.nodeOf(hopId);
    String iface = HopId.ifaceOf(hopId);
    int first = hopId.indexOf('/');
    int last = hopId.lastIndexOf('/');
    if (first < 0 || first == last) {
      return mtu(node, iface);
    }
    String pod = hopId.substring(first + 1, last);
    NodeInventory n = nodes.get(node);
    if (n == null) {
      return -1;
    }
    for (InterfaceInfo i : n.getInterfaces()) {
      if (i.getName().equals(iface) && pod.equals(i.getPod())) {
        return i.getMtu();
      }
    }
    return -1;
  }

  /** MTU of a node's (first) uplink, -1 if unknown. */
  public int uplinkMtu(String node) {
    NodeInventory n = nodes.get(node);
    if (n == null) {
      return -1;
    }
    for (InterfaceInfo i : n.getInterfaces()) {
      if (i.getRole() == InterfaceRole.UPLINK && i.getMtu() > 0) {
        return i.getMtu();
      }
    }
    return -1;
  }

  private static String stripLen(String a) {
    int slash = a.indexOf('/');
    return slash >= 0 ? a.substring(0, slash) : a;
  }
}
