package io.hoptrace.reduce;

import io.hoptrace.contract.HopId;
import io.hoptrace.schema.InterfaceInfo;
import io.hoptrace.schema.NodeInventory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Interface MTUs from node inventories (as a sensor knows its own node's), for the reducer. */
public final class InventoryMtus implements Reducer.MtuLookup {
  private final Map<String, Integer> byHop = new HashMap<>();

  public InventoryMtus(List<NodeInventory> inventories) {
    for (NodeInventory n : inventories) {
      for (InterfaceInfo i : n.getInterfaces()) {
        if (i.getMtu() > 0) {
          byHop.put(HopId.format(n.getNode(), i.getPod(), i.getName()), i.getMtu());
        }
      }
    }
  }

  @Override
  public int mtu(String node, String pod, String iface) {
    Integer m = byHop.get(HopId.format(node, pod, iface));
    return m == null ? -1 : m;
  }
}
