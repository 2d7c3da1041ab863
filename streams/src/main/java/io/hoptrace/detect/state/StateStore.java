package io.hoptrace.detect.state;

import java.util.function.BiConsumer;

/**
 * A key-value store provided by the host engine (Kafka Streams KeyValueStore, Flink MapState, or
 * {@link InMemoryStateStore} in tests). Values handed out by {@link #get} are the core's to modify;
 * the core always {@link #put}s a value back after changing it.
 */
public interface StateStore<K, V> {
  V get(K key);

  void put(K key, V value);

  void delete(K key);

  /** Visits every entry. The visitor must not modify the store; collect keys and act later. */
  void forEach(BiConsumer<K, V> visitor);
}
