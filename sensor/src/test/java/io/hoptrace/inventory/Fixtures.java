package io.hoptrace.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Loads the real ip/bridge JSON captured under src/test/resources/inventory. */
final class Fixtures {
  private Fixtures() {}

  static String load(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/inventory/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static InventorySources node() {
    return new InventorySources(
        load("node-link.json"),
        load("node-addr.json"),
        load("node-route.json"),
        Map.of(
            "flannel.1", load("node-fdb-flannel.1.json"),
            "vxlan.calico", load("node-fdb-vxlan.calico.json")),
        Map.of(
            "flannel.1", load("node-neigh-flannel.1.json"),
            "vxlan.calico", load("node-neigh-vxlan.calico.json")));
  }

  /** node-b of the lab's dual-stack variant (deploy/lab/lab.sh up --dual-stack). */
  static InventorySources dualStackNode() throws InventoryException {
    return new InventorySources(
        load("dualstack-node-link.json"),
        load("dualstack-node-addr.json"),
        InventoryParser.concatArrays(
            load("dualstack-node-route.json"), load("dualstack-node-route6.json")),
        Map.of(),
        Map.of());
  }

  static InventorySources pod() {
    return new InventorySources(
        load("pod-link.json"), load("pod-addr.json"), load("pod-route.json"), Map.of(), Map.of());
  }
}
