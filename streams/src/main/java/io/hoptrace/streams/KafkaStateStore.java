package io.hoptrace.streams;

import io.hoptrace.detect.state.StateStore;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** The core's {@link StateStore} over a Kafka Streams {@link KeyValueStore}. */
final class KafkaStateStore<K, V> implements StateStore<K, V> {
  private final KeyValueStore<K, V> store;

  KafkaStateStore(KeyValueStore<K, V> store) {
    this.store = store;
  }

  @Override
  public V get(K key) {
    return store.get(key);
  }

  @Override
  public void put(K key, V value) {
    store.put(key, value);
  }

  @Override
  public void delete(K key) {
    store.delete(key);
  }

  @Override
  public void forEach(BiConsumer<K, V> visitor) {
    try (KeyValueIterator<K, V> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<K, V> kv = it.next();
        visitor.accept(kv.key, kv.value);
      }
    }
  }
}
