package io.hoptrace.cli;

import io.hoptrace.flink.StateBackendKind;
import picocli.CommandLine.Option;

/** {@code --state-backend heap|rocksdb}: where the Flink job keeps its keyed state. */
final class StateBackendOption {
  @Option(
      names = "--state-backend",
      paramLabel = "BACKEND",
      description =
          "State backend of the Flink job: heap (the default) or rocksdb (state on local disk,"
              + " incremental checkpoints to a temporary directory).")
  StateBackendKind stateBackend;

  boolean given() {
    return stateBackend != null;
  }

  StateBackendKind kind() {
    return stateBackend == null ? StateBackendKind.heap : stateBackend;
  }
}
