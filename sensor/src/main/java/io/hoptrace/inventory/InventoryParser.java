package io.hoptrace.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.hoptrace.capture.InterfaceRoles;
import io.hoptrace.contract.IpText;
import io.hoptrace.schema.FdbEntry;
import io.hoptrace.schema.InterfaceInfo;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.NeighborEntry;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.RouteInfo;
import io.hoptrace.schema.VtepInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns {@code ip -j} / {@code bridge -j} JSON into a {@link NodeInventory}. Pure: no commands, no
 * clock.
 *
 * <ul>
 *   <li>interfaces: every link with its role ({@link InterfaceRoles}), kind, MTU, MAC, master, up
 *       flag and addresses (CIDR);
 *   <li>node addresses: the global addresses of UPLINK interfaces;
 *   <li>VTEPs: {@code vxlan} and {@code geneve} links with VNI, local address, UDP port, MTU, FDB
 *       entries that have a remote ({@code dst}) and neighbour entries;
 *   <li>routes to pod CIDRs: routes whose device is a VTEP, tunnel or bridge, routes flagged {@code
 *       onlink}, and blackhole routes (Calico's own block);
 *   <li>pod CIDR: the network of the first bridge address, else the first blackhole route.
 * </ul>
 */
public final class InventoryParser {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final InterfaceRoles roles;

  public InventoryParser(InterfaceRoles roles) {
    this.roles = Objects.requireNonNull(roles, "roles");
  }

  /**
   * The VXLAN/Geneve devices in {@code ip -d -j link show} output (whose FDB and neighbours the
   * collector then reads).
   */
  public List<String> vtepDevices(String linkJson) throws InventoryException {
    List<String> out = new ArrayList<>();
    for (JsonNode l : array(linkJson, "ip -d -j link show")) {
      if (isVtepKind(kind(l))) {
        out.add(l.path("ifname").asText());
      }
    }
    return out;
  }

  /**
   * Builds the inventory.
   *
   * @param pod the pod whose namespace was read, or null for the node's own namespace (then every
   *     interface but {@code lo} has role POD)
   */
  public NodeInventory parse(String node, String pod, long tsNanos, InventorySources sources)
      throws InventoryException {
    Objects.requireNonNull(node, "node");
    JsonNode links = array(sources.linkJson(), "ip -d -j link show");
    JsonNode addrs = array(sources.addrJson(), "ip -j addr show");
    JsonNode routes = array(sources.routeJson(), "ip -j route show");

    Map<String, List<String>> addressesByIf = new HashMap<>();
    Map<String, List<String>> globalByIf = new HashMap<>();
    for (JsonNode a : addrs) {
      String ifname = a.path("ifname").asText();
      for (JsonNode ai : a.path("addr_info")) {
        if (!ai.hasNonNull("local")) {
          continue;
        }
        String cidr = ai.path("local").asText() + "/" + ai.path("prefixlen").asInt();
        addressesByIf.computeIfAbsent(ifname, k -> new ArrayList<>()).add(cidr);
        if ("global".equals(ai.path("scope").asText("global"))) {
          globalByIf.computeIfAbsent(ifname, k -> new ArrayList<>()).add(ai.path("local").asText());
        }
      }
    }

    List<InterfaceInfo> interfaces = new ArrayList<>();
    List<VtepInfo> vteps = new ArrayList<>();
    Map<String, InterfaceRole> roleByIf = new HashMap<>();
    Set<String> nodeAddresses = new LinkedHashSet<>();
    // one pod CIDR per address family: the bridge's global addresses, else blackhole routes
    Map<Boolean, String> podCidrs = new TreeMap<>(); // IPv4 (false) first
    for (JsonNode l : links) {
      String name = l.path("ifname").asText(null);
      if (name == null || name.isEmpty()) {
        continue;
      }
      String kind = kind(l);
      InterfaceRole role = roles.roleOf(name, kind, pod != null);
      roleByIf.put(name, role);
      List<String> ifAddrs = addressesByIf.getOrDefault(name, List.of());
      interfaces.add(
          InterfaceInfo.newBuilder()
              .setName(name)
              .setIndex(l.path("ifindex").asInt(-1))
              .setRole(role)
              .setKind(kind)
              .setPod(pod)
              .setMac(text(l, "address"))
              .setMtu(l.path("mtu").asInt(-1))
              .setMaster(text(l, "master"))
              .setUp(hasFlag(l, "UP"))
              .setAddresses(ifAddrs)
              .build());
      if (role == InterfaceRole.UPLINK) {
        nodeAddresses.addAll(globalByIf.getOrDefault(name, List.of()));
      }
      if (role == InterfaceRole.BRIDGE) {
        for (String a : ifAddrs) {
          if (globalByIf.getOrDefault(name, List.of()).contains(a.substring(0, a.indexOf('/')))) {
            podCidrs.putIfAbsent(a.indexOf(':') >= 0, network(a));
          }
        }
      }
      if (isVtepKind(kind)) {
        vteps.add(vtep(l, name, kind, sources));
      }
    }

    List<RouteInfo> podRoutes = new ArrayList<>();
    for (JsonNode r : routes) {
      String dst = r.path("dst").asText("");
      if (dst.isEmpty() || dst.equals("default")) {
        continue;
      }
      String dev = text(r, "dev");
      String type = r.path("type").asText("unicast");
      boolean onlink = hasFlag(r, "onlink");
      InterfaceRole devRole = dev == null ? null : roleByIf.get(dev);
      boolean toPods =
          onlink
              || type.equals("blackhole")
              || devRole == InterfaceRole.VTEP
              || devRole == InterfaceRole.TUNNEL
              || devRole == InterfaceRole.BRIDGE;
      if (!toPods) {
        continue;
      }
      if (type.equals("blackhole")) {
        podCidrs.putIfAbsent(dst.indexOf(':') >= 0, dst);
      }
      podRoutes.add(
          RouteInfo.newBuilder()
              .setDst(dst)
              .setVia(text(r, "gateway"))
              .setDev(dev)
              .setType(type)
              .setOnlink(onlink)
              .build());
    }

    return NodeInventory.newBuilder()
        .setNode(node)
        .setTsNanos(tsNanos)
        .setAddresses(new ArrayList<>(nodeAddresses))
        .setPodCidr(pod == null && !podCidrs.isEmpty() ? podCidrs.values().iterator().next() : null)
        .setPodCidrs(pod == null ? new ArrayList<>(podCidrs.values()) : new ArrayList<>())
        .setInterfaces(interfaces)
        .setVteps(vteps)
        .setRoutes(podRoutes)
        .build();
  }

  private VtepInfo vtep(JsonNode link, String name, String kind, InventorySources sources)
      throws InventoryException {
    JsonNode data = link.path("linkinfo").path("info_data");
    String local = text(data, "local");
    if (local == null) {
      local = text(data, "local6");
    }
    int defaultPort = kind.equals("geneve") ? 6081 : 8472;
    List<FdbEntry> fdb = new ArrayList<>();
    String fdbJson = sources.fdbJsonByVtep().get(name);
    if (fdbJson != null) {
      for (JsonNode f : array(fdbJson, "bridge -j fdb show dev " + name)) {
        if (f.hasNonNull("dst") && f.hasNonNull("mac")) {
          fdb.add(
              FdbEntry.newBuilder()
                  .setMac(f.path("mac").asText())
                  .setDst(f.path("dst").asText())
                  .build());
        }
      }
      fdb.sort(Comparator.comparing(FdbEntry::getMac).thenComparing(FdbEntry::getDst));
    }
    List<NeighborEntry> neighbors = new ArrayList<>();
    String neighJson = sources.neighJsonByVtep().get(name);
    if (neighJson != null) {
      for (JsonNode n : array(neighJson, "ip -j neigh show dev " + name)) {
        if (n.hasNonNull("dst")) {
          neighbors.add(
              NeighborEntry.newBuilder()
                  .setIp(n.path("dst").asText())
                  .setMac(text(n, "lladdr"))
                  .build());
        }
      }
      neighbors.sort(Comparator.comparing(NeighborEntry::getIp));
    }
    return VtepInfo.newBuilder()
        .setDevice(name)
        .setVni(data.path("id").asLong(-1))
        .setLocal(local)
        .setPort(data.path("port").asInt(defaultPort))
        .setMtu(link.path("mtu").asInt(-1))
        .setFdb(fdb)
        .setNeighbors(neighbors)
        .build();
  }

  private static boolean isVtepKind(String kind) {
    return "vxlan".equals(kind) || "geneve".equals(kind);
  }

  private static String kind(JsonNode link) {
    return text(link.path("linkinfo"), "info_kind");
  }

  private static String text(JsonNode n, String field) {
    return IpJson.text(n, field);
  }

  private static boolean hasFlag(JsonNode n, String flag) {
    for (JsonNode f : n.path("flags")) {
      if (flag.equals(f.asText())) {
        return true;
      }
    }
    return false;
  }

  /** Two JSON arrays (e.g. {@code ip -j route} and {@code ip -6 -j route}) as one. */
  public static String concatArrays(String a, String b) throws InventoryException {
    ArrayNode out = JSON.createArrayNode();
    out.addAll((ArrayNode) array(a, "routes"));
    if (b != null && !b.isBlank()) {
      out.addAll((ArrayNode) array(b, "IPv6 routes"));
    }
    return out.toString();
  }

  private static JsonNode array(String json, String what) throws InventoryException {
    return IpJson.array(json, what);
  }

  /** The network of an address in CIDR notation ({@code 10.244.1.1/24} → {@code 10.244.1.0/24}). */
  static String network(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      return cidr;
    }
    // a literal only: InetAddress.getByName would look a name up (the parser is pure)
    byte[] a = IpText.parse(cidr.substring(0, slash));
    if (a == null) {
      return cidr;
    }
    try {
      int prefix = Integer.parseInt(cidr.substring(slash + 1));
      for (int i = 0; i < a.length; i++) {
        int keep = Math.max(0, Math.min(8, prefix - i * 8));
        a[i] &= (byte) (0xFF00 >> keep);
      }
      return IpText.format(a) + "/" + prefix;
    } catch (NumberFormatException e) {
      return cidr;
    }
  }
}
