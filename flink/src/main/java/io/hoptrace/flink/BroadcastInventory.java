package io.hoptrace.flink;

import io.hoptrace.detect.InventorySource;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.NodeInventory;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The node inventory of stage 1: broadcast state fed by the compacted {@code nodes} topic (Avro
 * bytes by node name), decoded once into memory (by node name, as the Kafka Streams global store
 * iterates) and re-read from the broadcast state after a restore.
 */
final class BroadcastInventory implements InventorySource {
  static final MapStateDescriptor<String, byte[]> DESCRIPTOR =
      new MapStateDescriptor<>(
          "nodes", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

  private final AvroSerde<NodeInventory> serde = AvroSerde.nodeInventory();
  private final Map<String, NodeInventory> nodes = new TreeMap<>();
  private boolean loaded;

  /** Loads the broadcast state once (after a restore it is there before the first record). */
  void load(ReadOnlyBroadcastState<String, byte[]> state) throws Exception {
    if (loaded) {
      return;
    }
    for (Map.Entry<String, byte[]> e : state.immutableEntries()) {
      nodes.put(e.getKey(), serde.decode(e.getValue()));
    }
    loaded = true;
  }

  /**
   * Applies one record of the nodes topic (null inventory: the node is gone; null node: nothing to
   * apply).
   */
  void apply(BroadcastState<String, byte[]> state, NodeUpdate u) throws Exception {
    load(state);
    if (u.node == null) {
      return;
    }
    if (u.inventory == null) {
      state.remove(u.node);
      nodes.remove(u.node);
    } else {
      NodeInventory n = serde.decode(u.inventory);
      state.put(u.node, u.inventory);
      nodes.put(u.node, n);
    }
  }

  @Override
  public Iterable<NodeInventory> nodes() {
    return nodes.values();
  }
}
