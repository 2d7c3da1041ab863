package io.hoptrace.embedded;

import io.hoptrace.contract.PidFileLock;
import java.nio.file.Path;

/**
 * The exclusive lock of a broker data directory: a file {@value #FILE} in it, locked (an OS file
 * lock, released when the process dies however it dies) for as long as the broker runs, and holding
 * the pid of the process that holds it. Taken before anything else in the directory is read:
 * Kafka's own {@code .lock} of the log directory comes after it has read, and possibly truncated,
 * the metadata log, so a second broker on a directory in use could corrupt the running one's.
 */
final class DataDirLock implements AutoCloseable {

  /** The lock file's name in the data directory. */
  static final String FILE = ".hoptrace-broker.lock";

  private final PidFileLock lock;

  private DataDirLock(PidFileLock lock) {
    this.lock = lock;
  }

  /**
   * Locks {@code dir} for this process.
   *
   * @throws DataDirInUseException when another broker holds it
   */
  static DataDirLock acquire(Path dir) {
    return new DataDirLock(
        PidFileLock.acquire(dir.resolve(FILE), pid -> new DataDirInUseException(dir, pid)));
  }

  /** Releases the lock (the file stays: deleting it could let two brokers lock two files). */
  @Override
  public void close() {
    lock.close();
  }
}
