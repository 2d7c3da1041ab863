package io.hoptrace.inventory;

import java.util.Map;
import java.util.Objects;

/**
 * The raw JSON an inventory is parsed from.
 *
 * @param linkJson {@code ip -d -j link show}
 * @param addrJson {@code ip -j addr show}
 * @param routeJson {@code ip -j route show}
 * @param fdbJsonByVtep {@code bridge -j fdb show dev VTEP} per VTEP device (absent: not readable)
 * @param neighJsonByVtep {@code ip -j neigh show dev VTEP} per VTEP device (absent: not readable)
 */
public record InventorySources(
    String linkJson,
    String addrJson,
    String routeJson,
    Map<String, String> fdbJsonByVtep,
    Map<String, String> neighJsonByVtep) {

  public InventorySources {
    Objects.requireNonNull(linkJson, "linkJson");
    Objects.requireNonNull(addrJson, "addrJson");
    Objects.requireNonNull(routeJson, "routeJson");
    fdbJsonByVtep = Map.copyOf(fdbJsonByVtep);
    neighJsonByVtep = Map.copyOf(neighJsonByVtep);
  }
}
