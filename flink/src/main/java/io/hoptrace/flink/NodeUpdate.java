package io.hoptrace.flink;

/**
 * A record of the compacted nodes topic: a node's inventory (Avro bytes), or null to delete; and
 * where it was read (partition, offset), which tells stage 1 how far the nodes topic has been read
 * ({@link InventoryFirst}). A record that carries no update (no key nor value, undecodable) still
 * travels, with a null node, for its position.
 */
public final class NodeUpdate {
  /** The node; null: a record that updates nothing (its position only). */
  public String node;

  /** NodeInventory, Avro single-object encoded; null: the node was deleted (tombstone). */
  public byte[] inventory;

  /** Partition of the nodes topic the record was read from. */
  public int partition;

  /** Offset of the record in its partition; -1 when unknown (not read from Kafka). */
  public long offset = -1;

  public NodeUpdate() {}

  public NodeUpdate(String node, byte[] inventory) {
    this.node = node;
    this.inventory = inventory;
  }

  public NodeUpdate(String node, byte[] inventory, int partition, long offset) {
    this(node, inventory);
    this.partition = partition;
    this.offset = offset;
  }
}
