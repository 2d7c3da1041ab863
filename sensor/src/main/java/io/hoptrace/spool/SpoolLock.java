package io.hoptrace.spool;

import io.hoptrace.contract.PidFileLock;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * One spool directory, one sensor: an OS lock on {@value #FILE} in the directory (released however
 * the process ends), taken before anything else in it is read, holding the owner's pid for the
 * message a second sensor prints. As the embedded broker locks its data directory.
 */
final class SpoolLock implements AutoCloseable {

  static final String FILE = ".hoptrace-spool.lock";

  private final PidFileLock lock;

  private SpoolLock(PidFileLock lock) {
    this.lock = lock;
  }

  /**
   * @throws SpoolInUseException when another sensor (this process or another) holds {@code dir}
   */
  static SpoolLock acquire(Path dir) {
    try {
      return new SpoolLock(
          PidFileLock.acquire(
              dir.resolve(FILE),
              pid -> new SpoolInUseException(dir, pid == null ? "unknown" : pid)));
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException(
          "spool directory " + dir + ": " + e.getMessage(), e.getCause());
    }
  }

  /** Releases the lock (the file stays). */
  @Override
  public void close() {
    lock.close();
  }

  /** Another sensor spools to the directory: this one did not open it. */
  public static final class SpoolInUseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    SpoolInUseException(Path dir, String pid) {
      super("spool directory " + dir + " is in use by another sensor (pid " + pid + ")");
    }
  }
}
