package io.hoptrace.streams;

import io.hoptrace.detect.state.Codec;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds an {@link ObjectCachingStore} over a persistent (RocksDB) or in-memory, changelogged
 * key-value store. Kafka Streams' byte cache is off by default for these stores: the object cache
 * in front already absorbs repeated writes between commits.
 */
final class ObjectCachingStoreBuilder<K, V> implements StoreBuilder<ObjectCachingStore<K, V>> {
  private final StoreBuilder<KeyValueStore<K, V>> inner;
  private final int maxEntries;
  private final boolean mutableValues;

  private ObjectCachingStoreBuilder(
      StoreBuilder<KeyValueStore<K, V>> inner, int maxEntries, boolean mutableValues) {
    this.inner = inner;
    this.maxEntries = maxEntries;
    this.mutableValues = mutableValues;
  }

  static <K, V> ObjectCachingStoreBuilder<K, V> persistent(
      String name, Serde<K> keySerde, Codec<V> codec, int maxEntries, boolean mutableValues) {
    return over(Stores.persistentKeyValueStore(name), keySerde, codec, maxEntries, mutableValues);
  }

  /** Over an in-memory (changelogged) store instead of RocksDB. */
  static <K, V> ObjectCachingStoreBuilder<K, V> inMemory(
      String name, Serde<K> keySerde, Codec<V> codec, int maxEntries, boolean mutableValues) {
    return over(Stores.inMemoryKeyValueStore(name), keySerde, codec, maxEntries, mutableValues);
  }

  private static <K, V> ObjectCachingStoreBuilder<K, V> over(
      KeyValueBytesStoreSupplier supplier,
      Serde<K> keySerde,
      Codec<V> codec,
      int maxEntries,
      boolean mutableValues) {
    return new ObjectCachingStoreBuilder<>(
        Stores.keyValueStoreBuilder(supplier, keySerde, new CodecSerde<>(codec))
            .withCachingDisabled(),
        maxEntries,
        mutableValues);
  }

  @Override
  public ObjectCachingStoreBuilder<K, V> withCachingEnabled() {
    inner.withCachingEnabled();
    return this;
  }

  @Override
  public ObjectCachingStoreBuilder<K, V> withCachingDisabled() {
    inner.withCachingDisabled();
    return this;
  }

  @Override
  public ObjectCachingStoreBuilder<K, V> withLoggingEnabled(Map<String, String> config) {
    inner.withLoggingEnabled(config);
    return this;
  }

  @Override
  public ObjectCachingStoreBuilder<K, V> withLoggingDisabled() {
    inner.withLoggingDisabled();
    return this;
  }

  @Override
  public ObjectCachingStore<K, V> build() {
    return new ObjectCachingStore<>(inner.build(), maxEntries, mutableValues);
  }

  @Override
  public Map<String, String> logConfig() {
    return inner.logConfig();
  }

  @Override
  public boolean loggingEnabled() {
    return inner.loggingEnabled();
  }

  @Override
  public String name() {
    return inner.name();
  }
}
