package io.hoptrace.lab;

import io.hoptrace.contract.HopId;
import io.hoptrace.schema.EncapLayer;
import io.hoptrace.schema.EncapType;
import io.hoptrace.schema.FdbEntry;
import io.hoptrace.schema.InterfaceInfo;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.VtepInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic flannel VXLAN lab: node-a (192.168.232.128, pods 10.244.0.0/24, pod-a1 = 10.244.0.5)
 * and node-b (192.168.232.130, pods 10.244.1.0/24, pod-b1 = 10.244.1.5), each with pod eth0, host
 * veth, cni0, flannel.1 (VXLAN 8472) and ens33. Builds the packet summaries each hop's sensor would
 * publish.
 */
public final class Lab {
  public static final String A_IP = "192.168.232.128";
  public static final String B_IP = "192.168.232.130";
  public static final String POD_A = "10.244.0.5";
  public static final String POD_B = "10.244.1.5";

  /** One capture point. */
  public record Hop(String node, String pod, String iface, InterfaceRole role) {
    public String id() {
      return HopId.format(node, pod, iface);
    }
  }

  public static final Hop A_POD = new Hop("node-a", "pod-a1", "eth0", InterfaceRole.POD);
  public static final Hop A_VETH = new Hop("node-a", null, "vethA1", InterfaceRole.VETH);
  public static final Hop A_CNI = new Hop("node-a", null, "cni0", InterfaceRole.BRIDGE);
  public static final Hop A_VTEP = new Hop("node-a", null, "flannel.1", InterfaceRole.VTEP);
  public static final Hop A_UP = new Hop("node-a", null, "ens33", InterfaceRole.UPLINK);
  public static final Hop B_POD = new Hop("node-b", "pod-b1", "eth0", InterfaceRole.POD);
  public static final Hop B_VETH = new Hop("node-b", null, "vethB1", InterfaceRole.VETH);
  public static final Hop B_CNI = new Hop("node-b", null, "cni0", InterfaceRole.BRIDGE);
  public static final Hop B_VTEP = new Hop("node-b", null, "flannel.1", InterfaceRole.VTEP);
  public static final Hop B_UP = new Hop("node-b", null, "ens33", InterfaceRole.UPLINK);

  public static final List<Hop> A_TO_B =
      List.of(A_POD, A_VETH, A_CNI, A_VTEP, A_UP, B_UP, B_VTEP, B_CNI, B_VETH, B_POD);
  public static final List<Hop> B_TO_A =
      List.of(B_POD, B_VETH, B_CNI, B_VTEP, B_UP, A_UP, A_VTEP, A_CNI, A_VETH, A_POD);

  private String aVtepSrc = A_IP;
  private String bVtepSrc = B_IP;
  private String aVtepDst = B_IP;
  private String bVtepDst = A_IP;

  /** Outer source node-b really uses when it encapsulates (dual-ip: not its VTEP address). */
  public Lab nodeBEncapsulatesFrom(String addr) {
    bVtepSrc = addr;
    return this;
  }

  /** Outer destination node-a encapsulates to (wrong FDB entry). */
  public Lab nodeAEncapsulatesTo(String addr) {
    aVtepDst = addr;
    return this;
  }

  public static List<NodeInventory> inventory() {
    return inventory(A_IP, B_IP);
  }

  /**
   * The inventory with pod-side MTU {@code podMtu} (veths and cni0; flannel.1 stays at 1450): the
   * mtu-blackhole setup when podMtu is 1500.
   */
  public static List<NodeInventory> inventoryWithPodMtu(int podMtu) {
    List<NodeInventory> out = new ArrayList<>();
    for (NodeInventory n : inventory()) {
      List<InterfaceInfo> ifs = new ArrayList<>();
      for (InterfaceInfo i : n.getInterfaces()) {
        boolean podSide = i.getRole() == InterfaceRole.VETH || i.getRole() == InterfaceRole.BRIDGE;
        ifs.add(podSide ? InterfaceInfo.newBuilder(i).setMtu(podMtu).build() : i);
      }
      out.add(NodeInventory.newBuilder(n).setInterfaces(ifs).build());
    }
    return out;
  }

  public static List<NodeInventory> inventory(String aVtep, String bVtep) {
    return List.of(
        node("node-a", A_IP, "10.244.0.0/24", "10.244.0.0", aVtep, bVtep, "vethA1", "pod-a1"),
        node("node-b", B_IP, "10.244.1.0/24", "10.244.1.0", bVtep, aVtep, "vethB1", "pod-b1"));
  }

  private static NodeInventory node(
      String name,
      String ip,
      String cidr,
      String vtepIp,
      String local,
      String peer,
      String veth,
      String pod) {
    List<InterfaceInfo> ifs = new ArrayList<>();
    ifs.add(iface("ens33", InterfaceRole.UPLINK, 1500, null, ip + "/24"));
    ifs.add(iface("flannel.1", InterfaceRole.VTEP, 1450, null, vtepIp + "/32"));
    ifs.add(iface("cni0", InterfaceRole.BRIDGE, 1450, null, cidr.replace(".0/24", ".1/24")));
    ifs.add(iface(veth, InterfaceRole.VETH, 1450, pod, null));
    return NodeInventory.newBuilder()
        .setNode(name)
        .setTsNanos(1)
        .setAddresses(List.of(ip))
        .setPodCidr(cidr)
        .setInterfaces(ifs)
        .setVteps(
            List.of(
                VtepInfo.newBuilder()
                    .setDevice("flannel.1")
                    .setVni(1)
                    .setLocal(local)
                    .setPort(8472)
                    .setMtu(1450)
                    .setFdb(
                        List.of(
                            FdbEntry.newBuilder().setMac("ca:fe:00:00:00:01").setDst(peer).build()))
                    .build()))
        .build();
  }

  private static InterfaceInfo iface(
      String name, InterfaceRole role, int mtu, String pod, String addr) {
    return InterfaceInfo.newBuilder()
        .setName(name)
        .setRole(role)
        .setMtu(mtu)
        .setPod(pod)
        .setAddresses(addr == null ? List.of() : List.of(addr))
        .build();
  }

  /** The packet as each given hop captures it, 20 µs apart from ts on. */
  public List<PacketSummary> over(Pkt p, long ts, List<Hop> hops) {
    List<PacketSummary> out = new ArrayList<>();
    long t = ts;
    for (Hop h : hops) {
      out.add(at(p, t, h));
      t += 20_000;
    }
    return out;
  }

  /** The packet as one hop captures it. */
  public PacketSummary at(Pkt p, long ts, Hop h) {
    PacketSummary.Builder b =
        p.base(ts).setNode(h.node()).setIface(h.iface()).setPod(h.pod()).setRole(h.role());
    if (h.role() == InterfaceRole.UPLINK && crossesNodes(p)) {
      boolean fromA = p.src.startsWith("10.244.0.");
      String outerSrc = fromA ? aVtepSrc : bVtepSrc;
      String outerDst = fromA ? aVtepDst : bVtepDst;
      b.setEncap(
          List.of(
              EncapLayer.newBuilder()
                  .setType(EncapType.VXLAN)
                  .setOuterSrc(outerSrc)
                  .setOuterDst(outerDst)
                  .setOuterSport(40000 + (int) (Math.abs(p.fingerprint()) % 20000))
                  .setOuterDport(8472)
                  .setVni(1)
                  .setOuterLength(p.ipLength + 50)
                  .build()));
      b.setWireLength(p.ipLength + 64);
    }
    return b.build();
  }

  private static boolean crossesNodes(Pkt p) {
    return p.src.startsWith("10.244.")
        && p.dst.startsWith("10.244.")
        && !p.src.substring(0, 9).equals(p.dst.substring(0, 9));
  }

  public static long sec(double s) {
    return 1_700_000_000_000_000_000L + (long) (s * 1e9);
  }
}
