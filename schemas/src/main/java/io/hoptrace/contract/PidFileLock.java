package io.hoptrace.contract;

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
import java.util.function.Function;

/**
 * One process per directory: an OS lock on a file in it (released however the process ends),
 * holding the owner's pid for the message a second process prints. The embedded broker's data
 * directory and the sensor's spool are locked with it, each before anything else in the directory
 * is read. The file stays when released: deleting it could let two processes lock two files.
 */
public final class PidFileLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private PidFileLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code file} for this process.
   *
   * @param inUse the exception to throw when another process (or another lock of this one) holds
   *     it, given the holder's pid (null when unknown)
   * @throws UncheckedIOException when the file cannot be opened or locked
   */
  public static PidFileLock acquire(Path file, Function<String, RuntimeException> inUse) {
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
      lock = null; // held by this JVM
    } catch (IOException e) {
      closeQuietly(ch);
      throw new UncheckedIOException("cannot lock " + file, e);
    }
    if (lock == null) {
      String holder = holder(file);
      closeQuietly(ch);
      throw inUse.apply(holder);
    }
    try {
      byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(pid), 0);
      ch.force(false);
    } catch (IOException e) {
      // the lock is what counts; the pid only names the holder to a second process
    }
    return new PidFileLock(ch, lock);
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
