package io.hoptrace.flink;

/** A record of the compacted nodes topic: a node's inventory (Avro bytes), or null to delete. */
public final class NodeUpdate {
  public String node;

  /** NodeInventory, Avro single-object encoded; null: the node was deleted (tombstone). */
  public byte[] inventory;

  public NodeUpdate() {}

  public NodeUpdate(String node, byte[] inventory) {
    this.node = node;
    this.inventory = inventory;
  }
}
