package io.hoptrace.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code dir} for this process.
   *
   * @throws DataDirInUseException when another broker holds it
   */
  static DataDirLock acquire(Path dir) {
    Path file = dir.resolve(FILE);
    FileChannel ch;
    try {
      ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the lock file " + file, e);
    }
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another broker of this JVM
    } catch (IOException e) {
      closeQuietly(ch);
      throw new UncheckedIOException("cannot lock " + file, e);
    }
    if (lock == null) {
      String holder = holder(file);
      closeQuietly(ch);
      throw new DataDirInUseException(dir, holder);
    }
    try {
      byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(pid), 0);
      ch.force(false);
    } catch (IOException e) {
      // the lock is what counts; the pid is for the message of a second broker
    }
    return new DataDirLock(ch, lock);
  }

  /** The pid written in the lock file, or null. */
  private static String holder(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
      return text.matches("[0-9]{1,10}") ? text : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Releases the lock (the file stays: deleting it could let two brokers lock two files). */
  @Override
  public void close() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } catch (IOException e) {
      // closing the channel releases it too
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // nothing more to do
    }
  }
}
