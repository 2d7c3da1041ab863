package io.hoptrace.flink.state;

import io.hoptrace.detect.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.state.MapState;

/**
 * A {@link StateStore} over a keyed {@link MapState}: the entries of the current key (the routing
 * key in stage 1, the alert subject in stage 2). On the heap state backend values are the live
 * objects (the core puts each value back after changing it, as the port requires).
 */
public final class MapStateStore<K, V> implements StateStore<K, V> {
  private final MapState<K, V> state;

  public MapStateStore(MapState<K, V> state) {
    this.state = state;
  }

  @Override
  public V get(K key) {
    try {
      return state.get(key);
    } catch (Exception e) {
      throw new KeyedStateException("read", e);
    }
  }

  @Override
  public void put(K key, V value) {
    try {
      state.put(key, value);
    } catch (Exception e) {
      throw new KeyedStateException("write", e);
    }
  }

  @Override
  public void delete(K key) {
    try {
      state.remove(key);
    } catch (Exception e) {
      throw new KeyedStateException("delete", e);
    }
  }

  @Override
  public void forEach(BiConsumer<K, V> visitor) {
    List<Map.Entry<K, V>> copy = new ArrayList<>();
    try {
      for (Map.Entry<K, V> e : state.entries()) {
        copy.add(Map.entry(e.getKey(), e.getValue()));
      }
    } catch (Exception e) {
      throw new KeyedStateException("scan", e);
    }
    copy.forEach(e -> visitor.accept(e.getKey(), e.getValue()));
  }

  /** Whether the current key has no entry. */
  public boolean isEmpty() {
    try {
      return state.isEmpty();
    } catch (Exception e) {
      throw new KeyedStateException("read", e);
    }
  }

  /** A failure of the state backend (e.g. RocksDB), unchecked for the core's ports. */
  public static final class KeyedStateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KeyedStateException(String what, Exception cause) {
      super("cannot " + what + " keyed state: " + cause, cause);
    }
  }
}
