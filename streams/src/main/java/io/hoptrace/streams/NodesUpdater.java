package io.hoptrace.streams;

import io.hoptrace.schema.NodeInventory;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the global nodes store: one inventory per node, tombstones delete. */
final class NodesUpdater implements Processor<String, NodeInventory, Void, Void> {
  private KeyValueStore<String, NodeInventory> store;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(DetectionTopology.NODES_STORE);
  }

  @Override
  public void process(Record<String, NodeInventory> record) {
    String key =
        record.key() != null
            ? record.key()
            : record.value() != null ? record.value().getNode() : null;
    if (key == null) {
      return;
    }
    if (record.value() == null) {
      store.delete(key);
    } else {
      store.put(key, record.value());
    }
  }
}
