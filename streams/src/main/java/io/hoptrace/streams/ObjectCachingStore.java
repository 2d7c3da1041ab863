package io.hoptrace.streams;

import io.hoptrace.detect.state.StateStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * The core's {@link StateStore} as the outermost layer of a Kafka Streams key-value store: a
 * bounded cache of <em>decoded</em> values in front of the (RocksDB, changelogged) store, so a
 * conversation touched by every packet is decoded once and encoded once per commit instead of once
 * per packet.
 *
 * <p>Exactly-once: this layer is what the task registers (it is the root store handed to {@code
 * init}), so the task's state manager calls {@link #flushCache()} from {@code
 * StreamTask.prepareCommit} for every commit, <em>before</em> the producer's transaction (changelog
 * records and input offsets) is committed. {@link #flushCache()} writes every changed entry into
 * the wrapped store and then flushes that store's own cache, so the changelog of each commit holds
 * exactly the state the running task has. On a dirty close (or task revival) {@link #clearCache()}
 * drops whatever was not committed, as Kafka Streams' own record cache does. Nothing is written
 * back on {@link #close()}.
 *
 * <p>Values handed out by {@link #get} are the cached objects themselves. For mutable value types
 * every value handed out counts as changed and is written back at the next flush, so even a value
 * modified without a {@link #put} is in the store at commit exactly as the running task sees it:
 * the cache never holds state the store will not have after the commit.
 *
 * <p>Relies on Kafka Streams' internal {@link WrappedStateStore} / {@code CachedStateStore} (the
 * only pre-commit hook a store has); kept to this one class.
 */
final class ObjectCachingStore<K, V> extends WrappedStateStore<KeyValueStore<K, V>, K, V>
    implements StateStore<K, V> {

  private static final class Slot<K, V> {
    final K key;
    V value; // null: absent (deleted, or known missing)
    boolean dirty;

    Slot(K key, V value) {
      this.key = key;
      this.value = value;
    }
  }

  private final int maxEntries;
  private final boolean mutableValues;
  private final LinkedHashMap<K, Slot<K, V>> cache = new LinkedHashMap<>(256, 0.75f, true);
  private final List<Slot<K, V>> dirty = new ArrayList<>();

  /**
   * @param maxEntries cached entries at most (least recently used are written back and dropped)
   * @param mutableValues whether the core modifies values it got (then every value handed out is
   *     written back at the next flush)
   */
  ObjectCachingStore(KeyValueStore<K, V> inner, int maxEntries, boolean mutableValues) {
    super(inner);
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be >= 1");
    }
    this.maxEntries = maxEntries;
    this.mutableValues = mutableValues;
  }

  @Override
  public V get(K key) {
    Slot<K, V> s = cache.get(key);
    if (s == null) {
      s = new Slot<>(key, wrapped().get(key));
      cache.put(key, s);
      evict();
    }
    if (s.value != null && mutableValues) {
      markDirty(s);
    }
    return s.value;
  }

  @Override
  public void put(K key, V value) {
    if (value == null) {
      delete(key);
      return;
    }
    set(key, value);
  }

  @Override
  public void delete(K key) {
    set(key, null);
  }

  private void set(K key, V value) {
    Slot<K, V> s = cache.get(key);
    if (s == null) {
      s = new Slot<>(key, value);
      cache.put(key, s);
      markDirty(s);
      evict();
    } else {
      s.value = value;
      markDirty(s);
    }
  }

  private void markDirty(Slot<K, V> s) {
    if (!s.dirty) {
      s.dirty = true;
      dirty.add(s);
    }
  }

  private void writeBack(Slot<K, V> s) {
    if (s.value == null) {
      wrapped().delete(s.key);
    } else {
      wrapped().put(s.key, s.value);
    }
    s.dirty = false;
  }

  private void evict() {
    if (cache.size() <= maxEntries) {
      return;
    }
    Iterator<Map.Entry<K, Slot<K, V>>> it = cache.entrySet().iterator();
    while (cache.size() > maxEntries && it.hasNext()) {
      Slot<K, V> s = it.next().getValue();
      if (s.dirty) {
        writeBack(s);
      }
      it.remove();
    }
  }

  /** Writes every changed entry into the wrapped store. */
  void writeBack() {
    for (Slot<K, V> s : dirty) {
      if (s.dirty) {
        writeBack(s);
      }
    }
    dirty.clear();
  }

  /** Entries changed since the last write-back (for tests). */
  int unflushed() {
    int n = 0;
    for (Slot<K, V> s : dirty) {
      n += s.dirty ? 1 : 0;
    }
    return n;
  }

  @Override
  public void forEach(BiConsumer<K, V> visitor) {
    scan(
        null,
        (k, v) -> {
          visitor.accept(k, v);
          return true;
        });
  }

  @Override
  public void scan(K from, BiPredicate<K, V> visitor) {
    writeBack();
    try (KeyValueIterator<K, V> it = from == null ? wrapped().all() : wrapped().range(from, null)) {
      while (it.hasNext()) {
        KeyValue<K, V> kv = it.next();
        V v = kv.value;
        Slot<K, V> s = cache.get(kv.key);
        if (s != null && s.value != null) {
          v = s.value;
          if (mutableValues) {
            markDirty(s);
          }
        }
        if (v != null && !visitor.test(kv.key, v)) {
          return;
        }
      }
    }
  }

  @Override
  public void flushCache() {
    writeBack();
    super.flushCache();
  }

  @Override
  public void flush() {
    writeBack();
    super.flush();
  }

  @Override
  public void clearCache() {
    cache.clear();
    dirty.clear();
    super.clearCache();
  }

  @Override
  public void close() {
    cache.clear();
    dirty.clear();
    super.close();
  }
}
