package io.hoptrace.cli;

import io.hoptrace.history.StoreQuery;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --store DIR} and {@code --format}: which flow store to read and how to print, for {@code
 * query} and {@code flows}.
 */
final class StoreReadOptions {
  static final String DEFAULT_STORE = "history";

  @Option(
      names = "--store",
      paramLabel = "DIR",
      defaultValue = DEFAULT_STORE,
      description = "The flow store that demo/analyze --store wrote (default: ${DEFAULT-VALUE}).")
  Path store;

  @Option(
      names = "--format",
      paramLabel = "table|json|csv",
      defaultValue = "table",
      description = "Output: aligned table, JSON lines or CSV (default: ${DEFAULT-VALUE}).")
  QueryOutput.Format format;

  /** Opens the store. @throws IllegalArgumentException naming the directory when missing */
  StoreQuery open() {
    return StoreQuery.open(store);
  }
}
