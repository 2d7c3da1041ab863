package io.hoptrace.flink;

/**
 * {@link InventoryFirstIT} with the job's state in RocksDB: the packets wait in RocksDB keyed state
 * and are found again through its key iterator. Runs in the failsafe execution {@code rocksdb} of
 * this module ({@link RocksDbExactlyOnceIT}).
 */
class RocksDbInventoryFirstIT extends InventoryFirstIT {
  @Override
  StateBackendKind backend() {
    return StateBackendKind.rocksdb;
  }
}
