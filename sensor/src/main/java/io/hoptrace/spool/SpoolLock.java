package io.hoptrace.spool;

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
 * One spool directory, one sensor: an OS lock on {@value #FILE} in the directory (released however
 * the process ends), taken before anything else in it is read, holding the owner's pid for the
 * message a second sensor prints. As the embedded broker locks its data directory.
 */
final class SpoolLock implements AutoCloseable {

  static final String FILE = ".hoptrace-spool.lock";

  private final FileChannel channel;

  private SpoolLock(FileChannel channel) {
    this.channel = channel;
  }

  /**
   * @throws SpoolInUseException when another sensor (this process or another) holds {@code dir}
   */
  static SpoolLock acquire(Path dir) {
    Path file = dir.resolve(FILE);
    FileChannel ch;
    FileLock lock;
    try {
      ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("spool directory " + dir + ": cannot open " + file, e);
    }
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      close(ch);
      throw new UncheckedIOException("spool directory " + dir + ": cannot lock " + file, e);
    }
    if (lock == null) {
      String pid;
      try {
        pid = Files.readString(file, StandardCharsets.US_ASCII).trim();
      } catch (IOException e) {
        pid = "";
      }
      close(ch);
      throw new SpoolInUseException(dir, pid.matches("[0-9]{1,10}") ? pid : "unknown");
    }
    try {
      ch.truncate(0);
      ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes()), 0);
    } catch (IOException e) {
      // the lock is what matters; the pid only names the holder to a second sensor
    }
    return new SpoolLock(ch);
  }

  /** Releases the lock (closing the channel releases it; the file stays). */
  @Override
  public void close() {
    close(channel);
  }

  private static void close(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }

  /** Another sensor spools to the directory: this one did not open it. */
  public static final class SpoolInUseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    SpoolInUseException(Path dir, String pid) {
      super("spool directory " + dir + " is in use by another sensor (pid " + pid + ")");
    }
  }
}
