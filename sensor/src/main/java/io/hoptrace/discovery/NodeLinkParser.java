package io.hoptrace.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.hoptrace.capture.InterfaceRoles;
import io.hoptrace.inventory.InventoryException;
import io.hoptrace.inventory.IpJson;
import io.hoptrace.schema.InterfaceRole;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Picks the hops of a node's own network namespace from {@code ip -d -j link show}, {@code ip -j
 * addr show}, {@code ip -j route show} (IPv4 and IPv6 routes, concatenated or not) and {@code ip -j
 * netns list-id}. Pure: no commands.
 *
 * <p>A link is a hop when it is
 *
 * <ul>
 *   <li>a <b>pod-side veth</b>: kind {@code veth}, its peer in another namespace ({@code
 *       link_netnsid} set), holding none of the node's global addresses and not the device of a
 *       default route (a node's own uplink can be a veth, as in the lab or on kind clusters);
 *   <li>a <b>VTEP or tunnel</b> ({@code vxlan}, {@code geneve}, {@code ipip}, ... by kind, or by
 *       name: {@code flannel.*}, {@code vxlan.calico}, {@code tunl0}, {@code cilium_vxlan}) or a
 *       <b>bridge</b> ({@code cni0}, {@code cbr0}, any {@code bridge} kind): the role {@link
 *       InterfaceRoles} infers;
 *   <li>an <b>uplink</b>: any other link (not {@code lo}) holding a global address or carrying a
 *       default route.
 * </ul>
 *
 * Everything else ({@code lo}, dummies, links without addresses) is not a hop. A pod-side veth
 * whose role is not overridden gets role VETH whatever its name; other roles come from {@link
 * InterfaceRoles} (so {@code --role} overrides apply).
 */
public final class NodeLinkParser {

  /**
   * A hop in the node's namespace.
   *
   * @param peer where its veth peer lives, for a pod-side veth; else null
   */
  public record NodeLink(String name, int index, String kind, InterfaceRole role, PeerRef peer) {
    public NodeLink {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(role, "role");
    }
  }

  /**
   * The other end of a pod-side veth.
   *
   * @param vethIndex the node-side veth's ifindex (the peer's {@code link_index})
   * @param nsid the peer's namespace id as the node sees it ({@code link_netnsid})
   * @param nsName that namespace's name under /var/run/netns ({@code ip netns list-id}), or null
   * @param peerIndex the peer's ifindex inside its namespace (the veth's {@code link_index})
   */
  public record PeerRef(int vethIndex, int nsid, String nsName, int peerIndex) {}

  private final InterfaceRoles roles;

  public NodeLinkParser(InterfaceRoles roles) {
    this.roles = Objects.requireNonNull(roles, "roles");
  }

  /** The node's hops, in {@code ip link} order. */
  public List<NodeLink> parse(String linkJson, String addrJson, String routeJson, String idsJson)
      throws InventoryException {
    Set<String> withGlobal = new HashSet<>();
    for (JsonNode a : IpJson.array(addrJson, "ip -j addr show")) {
      for (JsonNode ai : a.path("addr_info")) {
        if (ai.hasNonNull("local") && "global".equals(ai.path("scope").asText("global"))) {
          withGlobal.add(a.path("ifname").asText());
        }
      }
    }
    Set<String> defaultDevs = new HashSet<>();
    for (JsonNode r : IpJson.array(routeJson, "ip -j route show")) {
      String dst = r.path("dst").asText("");
      if (dst.equals("default") || dst.equals("0.0.0.0/0") || dst.equals("::/0")) {
        addDevs(r, defaultDevs);
      }
    }
    Map<Integer, String> nsNames = new HashMap<>();
    for (JsonNode id : IpJson.arrayOrEmpty(idsJson, "ip -j netns list-id")) {
      if (id.hasNonNull("nsid") && id.hasNonNull("name")) {
        nsNames.put(id.path("nsid").asInt(), id.path("name").asText());
      }
    }

    List<NodeLink> out = new ArrayList<>();
    for (JsonNode l : IpJson.array(linkJson, "ip -d -j link show")) {
      String name = l.path("ifname").asText("");
      if (name.isEmpty() || name.equals("lo")) {
        continue;
      }
      String kind = IpJson.text(l.path("linkinfo"), "info_kind");
      int index = l.path("ifindex").asInt(-1);
      boolean uplinkLike = withGlobal.contains(name) || defaultDevs.contains(name);
      InterfaceRole inferred = roles.roleOf(name, kind, false);
      if ("veth".equals(kind) && l.hasNonNull("link_netnsid") && !uplinkLike) {
        PeerRef peer =
            new PeerRef(
                index,
                l.path("link_netnsid").asInt(),
                nsNames.get(l.path("link_netnsid").asInt()),
                l.path("link_index").asInt(-1));
        InterfaceRole role = roles.overrides().getOrDefault(name, InterfaceRole.VETH);
        out.add(new NodeLink(name, index, kind, role, peer));
      } else if (inferred == InterfaceRole.VTEP
          || inferred == InterfaceRole.TUNNEL
          || inferred == InterfaceRole.BRIDGE
          || (uplinkLike && inferred != InterfaceRole.ANY)) {
        out.add(new NodeLink(name, index, kind, inferred, null));
      }
    }
    return out;
  }

  private static void addDevs(JsonNode route, Set<String> into) {
    if (route.hasNonNull("dev")) {
      into.add(route.path("dev").asText());
    }
    for (JsonNode nh : route.path("nexthops")) {
      if (nh.hasNonNull("dev")) {
        into.add(nh.path("dev").asText());
      }
    }
  }
}
