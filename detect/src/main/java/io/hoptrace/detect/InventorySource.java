package io.hoptrace.detect;

import io.hoptrace.schema.NodeInventory;

/** The host's view of all nodes' inventories (e.g. a Kafka Streams global store). */
@FunctionalInterface
public interface InventorySource {
  Iterable<NodeInventory> nodes();
}
