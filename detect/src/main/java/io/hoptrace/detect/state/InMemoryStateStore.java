package io.hoptrace.detect.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;

/**
 * Sorted in-memory store. With a codec it stores bytes (so tests exercise the same serialization as
 * the engines); without, it holds the objects themselves.
 */
public final class InMemoryStateStore<K extends Comparable<K>, V> implements StateStore<K, V> {
  private final TreeMap<K, Object> map = new TreeMap<>();
  private final Codec<V> codec;

  public InMemoryStateStore() {
    this(null);
  }

  public InMemoryStateStore(Codec<V> codec) {
    this.codec = codec;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(K key) {
    Object v = map.get(key);
    if (v == null) {
      return null;
    }
    return codec == null ? (V) v : codec.decode((byte[]) v);
  }

  @Override
  public void put(K key, V value) {
    map.put(key, codec == null ? value : codec.encode(value));
  }

  @Override
  public void delete(K key) {
    map.remove(key);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void forEach(BiConsumer<K, V> visitor) {
    List<Map.Entry<K, Object>> copy = new ArrayList<>(map.entrySet());
    for (Map.Entry<K, Object> e : copy) {
      Object v = e.getValue();
      visitor.accept(e.getKey(), codec == null ? (V) v : codec.decode((byte[]) v));
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public void scan(K from, BiPredicate<K, V> visitor) {
    Map<K, Object> view = from == null ? map : map.tailMap(from, true);
    for (Map.Entry<K, Object> e : view.entrySet()) {
      Object v = e.getValue();
      if (!visitor.test(e.getKey(), codec == null ? (V) v : codec.decode((byte[]) v))) {
        return;
      }
    }
  }

  public int size() {
    return map.size();
  }
}
