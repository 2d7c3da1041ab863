package io.hoptrace.inventory;

import io.hoptrace.schema.NodeInventory;

/** Something that can read the node's current network inventory. */
@FunctionalInterface
public interface InventorySource {
  NodeInventory collect() throws InventoryException;
}
