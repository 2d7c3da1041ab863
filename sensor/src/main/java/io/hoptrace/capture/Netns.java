package io.hoptrace.capture;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs code inside another network namespace, in this process: a fresh platform thread calls {@code
 * setns(fd, CLONE_NEWNET)} (libc through JNA, which pcap4j already brings) and then the code. A
 * network namespace is a per-thread attribute in Linux: unlike a mount or user namespace, {@code
 * setns} into one is allowed in a multi-threaded process and moves only the calling thread. Sockets
 * keep the namespace they were created in, so a pcap handle opened on that thread captures in that
 * namespace whichever thread later reads it. The thread ends after the code ran; no other thread of
 * the JVM changes namespace.
 *
 * <p>Needs CAP_SYS_ADMIN (root, or the sensor's DaemonSet capabilities) and a namespace file: a
 * named namespace under {@code /run/netns} or {@code /var/run/netns}, or any {@code
 * /proc/PID/ns/net}.
 */
public final class Netns {

  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;
  private static final int CLONE_NEWNET = 0x40000000;

  /** The libc calls used (JNA interface mapping; errno becomes a {@link LastErrorException}). */
  interface LibC extends Library {
    int open(String path, int flags) throws LastErrorException;

    int setns(int fd, int nstype) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    String strerror(int errnum);
  }

  private static final class Holder {
    static final LibC LIBC = Native.load("c", LibC.class);
  }

  private Netns() {}

  /** The namespace file of {@code target}: {@code /run/netns/NAME} (or /var/run) or its path. */
  public static Path file(NetnsTarget target) {
    if (target.path() != null) {
      return Path.of(target.path());
    }
    Path run = Path.of("/run/netns", target.name());
    return Files.exists(run) ? run : Path.of("/var/run/netns", target.name());
  }

  /**
   * Calls {@code body} on a new thread inside {@code target} and returns its result.
   *
   * @throws LiveCaptureException when the namespace cannot be entered (named, with the OS error),
   *     or what {@code body} threw when it is a {@link LiveCaptureException}
   */
  public static <T> T call(NetnsTarget target, Callable<T> body) throws LiveCaptureException {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                enter(target);
                result.set(body.call());
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            "hoptrace-netns-" + target.label());
    t.setDaemon(true);
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LiveCaptureException("interrupted entering network namespace " + target.label(), e);
    }
    Throwable e = failure.get();
    if (e == null) {
      return result.get();
    }
    if (e instanceof LiveCaptureException l) {
      throw l;
    }
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e instanceof Error err) {
      throw err;
    }
    throw new LiveCaptureException(
        "in network namespace " + target.label() + ": " + e.getMessage(), e);
  }

  /** Moves the calling thread into {@code target}: only for a thread of its own (see above). */
  static void enter(NetnsTarget target) throws LiveCaptureException {
    Path file = file(target);
    LibC libc;
    try {
      libc = Holder.LIBC;
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      throw new LiveCaptureException(
          "cannot enter network namespace " + target.label() + ": libc not loadable via JNA", e);
    }
    int fd;
    try {
      fd = libc.open(file.toString(), O_RDONLY | O_CLOEXEC);
    } catch (LastErrorException e) {
      throw new LiveCaptureException(
          "network namespace " + target.label() + ": cannot open " + file + ": " + reason(libc, e),
          e);
    }
    try {
      libc.setns(fd, CLONE_NEWNET);
    } catch (LastErrorException e) {
      String why = reason(libc, e);
      if (e.getErrorCode() == 1) {
        why += " (needs root or CAP_SYS_ADMIN)";
      }
      throw new LiveCaptureException(
          "cannot enter network namespace " + target.label() + " (" + file + "): " + why, e);
    } finally {
      try {
        libc.close(fd);
      } catch (LastErrorException ignored) {
        // the descriptor is gone either way
      }
    }
  }

  private static String reason(LibC libc, LastErrorException e) {
    String s = libc.strerror(e.getErrorCode());
    return s == null ? "errno " + e.getErrorCode() : s;
  }
}
