package io.hoptrace.inventory;

import java.time.Duration;
import java.util.List;

/** Runs a command and returns its standard output. */
@FunctionalInterface
public interface CommandRunner {

  /**
   * @throws InventoryException when the program is missing, exits non-zero (with its error line) or
   *     exceeds {@code timeout}
   */
  String run(List<String> command, Duration timeout) throws InventoryException;
}
