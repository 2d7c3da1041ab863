package io.hoptrace.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.hoptrace.inventory.InventoryException;
import io.hoptrace.inventory.IpJson;
import java.util.Optional;

/**
 * Finds a pod's own interface inside its namespace: the veth peer of a node-side veth, from {@code
 * ip -d -j link show} and {@code ip -j addr show} read in that namespace. Pure: no commands.
 */
public final class PodLinkParser {

  /**
   * The pod's interface.
   *
   * @param ip its first global address (IPv4 first), or null
   */
  public record PodLink(String name, int index, String ip) {}

  private PodLinkParser() {}

  /**
   * The link with ifindex {@code peerIndex}; when {@code vethIndex} ≥ 0 it must also point back to
   * that node-side veth ({@code link_index}), which tells apart namespaces whose interfaces share
   * ifindex numbers.
   */
  public static Optional<PodLink> find(
      String linkJson, String addrJson, int peerIndex, int vethIndex) throws InventoryException {
    String name = null;
    for (JsonNode l : IpJson.array(linkJson, "ip -d -j link show")) {
      if (l.path("ifindex").asInt(-1) == peerIndex
          && (vethIndex < 0 || l.path("link_index").asInt(-1) == vethIndex)) {
        name = IpJson.text(l, "ifname");
        break;
      }
    }
    if (name == null) {
      return Optional.empty();
    }
    String v4 = null;
    String v6 = null;
    for (JsonNode a : IpJson.array(addrJson, "ip -j addr show")) {
      if (!name.equals(a.path("ifname").asText())) {
        continue;
      }
      for (JsonNode ai : a.path("addr_info")) {
        if (!ai.hasNonNull("local") || !"global".equals(ai.path("scope").asText("global"))) {
          continue;
        }
        if ("inet".equals(ai.path("family").asText()) && v4 == null) {
          v4 = ai.path("local").asText();
        } else if (v6 == null) {
          v6 = ai.path("local").asText();
        }
      }
    }
    return Optional.of(new PodLink(name, peerIndex, v4 != null ? v4 : v6));
  }
}
