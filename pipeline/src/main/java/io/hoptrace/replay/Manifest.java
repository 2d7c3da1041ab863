package io.hoptrace.replay;

import io.hoptrace.capture.HopContext;
import io.hoptrace.schema.FdbEntry;
import io.hoptrace.schema.InterfaceInfo;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.VtepInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The input of {@code hoptrace analyze}: the nodes (their inventory) and one capture per hop. JSON
 * format (kept stable; tools and tests depend on it; {@code pod}, {@code role}, {@code fdb} and a
 * hop's interface {@code mtu} optional, {@code file} relative to the manifest or absolute):
 *
 * <pre>{@code
 * {"nodes": [{"name": "node-a", "addresses": ["192.168.232.128"], "podCidr": "10.244.0.0/24",
 *             "vteps": [{"device": "flannel.1", "vni": 1, "local": "192.168.232.128", "port": 8472,
 *                        "fdb": [{"mac": "ca:fe:0a:f4:01:00", "dst": "192.168.232.130"}]}]}],
 *  "hops":  [{"node": "node-a", "pod": "pod-a1", "iface": "eth0", "role": "POD", "file": "a.pcap"},
 *            {"node": "node-a", "iface": "flannel.1", "file": "a-flannel.pcap"}]}
 * }</pre>
 *
 * Read with {@link ManifestReader}.
 */
public record Manifest(Path source, List<Node> nodes, List<Hop> hops) {

  public Manifest {
    nodes = List.copyOf(nodes);
    hops = List.copyOf(hops);
  }

  /**
   * One capture of unknown origin (e.g. a Zeek trace): one hop {@code trace/eth0} of role ANY and
   * no node inventory, as {@code {"nodes": [], "hops": [{"node": "trace", "iface": "eth0", "role":
   * "ANY", "file": FILE}]}}.
   */
  public static Manifest ofCapture(Path file) {
    return new Manifest(
        file, List.of(), List.of(new Hop("trace", null, "eth0", InterfaceRole.ANY, file)));
  }

  /** Reads and validates a manifest file. */
  public static Manifest read(Path file) {
    return ManifestReader.read(file);
  }

  /** One FDB entry of a VTEP: the peer VTEP's MAC and the outer destination it is sent to. */
  public record Fdb(String mac, String dst) {}

  /** A VTEP device of a node. */
  public record Vtep(String device, long vni, String local, int port, List<Fdb> fdb) {
    public Vtep {
      fdb = List.copyOf(fdb);
    }
  }

  /**
   * A node and what its sensor would report about its network. {@code podCidrs} lists the pod CIDRs
   * of every address family (a dual-stack node has two); {@code podCidr} is the first.
   */
  public record Node(
      String name,
      List<String> addresses,
      String podCidr,
      List<String> podCidrs,
      List<Vtep> vteps) {
    public Node {
      addresses = List.copyOf(addresses);
      podCidrs = List.copyOf(podCidrs);
      vteps = List.copyOf(vteps);
    }
  }

  /**
   * One capture point: where the packets of {@code file} were captured, and the MTU of its
   * interface (-1 if the manifest does not say).
   */
  public record Hop(String node, String pod, String iface, InterfaceRole role, Path file, int mtu) {
    public Hop(String node, String pod, String iface, InterfaceRole role, Path file) {
      this(node, pod, iface, role, file, -1);
    }

    /** The hop as the sensor reports it ({@code node/iface} or {@code node/pod/iface}). */
    public HopContext context() {
      return new HopContext(node, pod, iface, role);
    }

    public String id() {
      return context().id();
    }
  }

  /**
   * The node inventories to publish on the nodes topic: addresses, pod CIDR and VTEPs (with FDB)
   * from the manifest, and the node's captured interfaces (name, role, pod, MTU) from its hops.
   */
  public List<NodeInventory> inventories(long tsNanos) {
    List<NodeInventory> out = new ArrayList<>();
    for (Node n : nodes) {
      List<InterfaceInfo> ifaces = new ArrayList<>();
      for (Hop h : hops) {
        if (h.node().equals(n.name())) {
          ifaces.add(
              InterfaceInfo.newBuilder()
                  .setName(h.iface())
                  .setRole(h.role())
                  .setPod(h.pod())
                  .setMtu(h.mtu())
                  .build());
        }
      }
      List<VtepInfo> vteps = new ArrayList<>();
      for (Vtep v : n.vteps()) {
        List<FdbEntry> fdb = new ArrayList<>();
        for (Fdb f : v.fdb()) {
          fdb.add(FdbEntry.newBuilder().setMac(f.mac()).setDst(f.dst()).build());
        }
        vteps.add(
            VtepInfo.newBuilder()
                .setDevice(v.device())
                .setVni(v.vni())
                .setLocal(v.local())
                .setPort(v.port())
                .setFdb(fdb)
                .build());
      }
      out.add(
          NodeInventory.newBuilder()
              .setNode(n.name())
              .setTsNanos(tsNanos)
              .setAddresses(new ArrayList<>(n.addresses()))
              .setPodCidr(
                  n.podCidr() != null || n.podCidrs().isEmpty() ? n.podCidr() : n.podCidrs().get(0))
              .setPodCidrs(new ArrayList<>(n.podCidrs()))
              .setInterfaces(ifaces)
              .setVteps(vteps)
              .build());
    }
    return out;
  }

  /** The hop of that id ({@link Hop#id()}), or null. */
  public Hop hop(String id) {
    for (Hop h : hops) {
      if (h.id().equals(id)) {
        return h;
      }
    }
    return null;
  }

  /** The node of that name, or null. */
  public Node node(String name) {
    for (Node n : nodes) {
      if (Objects.equals(n.name(), name)) {
        return n;
      }
    }
    return null;
  }
}
