package io.hoptrace.flink;

/**
 * {@link ExactlyOnceIT} with the job's state in RocksDB: the restarted job restores it from the
 * last incremental checkpoint. Runs in the failsafe execution {@code rocksdb} of this module, whose
 * class path leaves out Kafka Streams' RocksDB ({@link StateBackendKind#checkAvailable()}).
 */
class RocksDbExactlyOnceIT extends ExactlyOnceIT {
  @Override
  StateBackendKind backend() {
    return StateBackendKind.rocksdb;
  }
}
