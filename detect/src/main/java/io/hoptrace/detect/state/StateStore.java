package io.hoptrace.detect.state;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;

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

  /**
   * Visits entries in ascending key order (natural order of the keys), starting at {@code from}
   * (inclusive; null: the smallest key), for as long as the visitor returns true. The visitor must
   * not modify the store. Sorted stores override this to read only what is visited; the default
   * sorts a full {@link #forEach} and suits unsorted stores.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  default void scan(K from, BiPredicate<K, V> visitor) {
    List<Map.Entry<K, V>> all = new ArrayList<>();
    forEach((k, v) -> all.add(Map.entry(k, v)));
    Comparator<Object> natural = (a, b) -> ((Comparable) a).compareTo(b);
    all.sort((a, b) -> natural.compare(a.getKey(), b.getKey()));
    for (Map.Entry<K, V> e : all) {
      if (from != null && natural.compare(e.getKey(), from) < 0) {
        continue;
      }
      if (!visitor.test(e.getKey(), e.getValue())) {
        return;
      }
    }
  }
}
