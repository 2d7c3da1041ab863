package io.hoptrace.drops;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Network namespaces by inode, the number the kernel's {@code net->ns.inum} carries: a name under
 * {@code /var/run/netns} (as {@code ip netns} makes them) or a namespace file such as {@code
 * /proc/PID/ns/net} resolves to the inode of that file.
 */
public final class NetnsInodes {

  /** Where {@code ip netns add} mounts named namespaces. */
  public static final Path NAMED = Path.of("/var/run/netns");

  private static final long RESCAN_NANOS = 1_000_000_000L;

  private final Path namedDir;
  private Map<Long, String> cache = Map.of();
  private long scannedAt;
  private boolean scanned;

  public NetnsInodes(Path namedDir) {
    this.namedDir = namedDir;
  }

  public NetnsInodes() {
    this(NAMED);
  }

  /**
   * The inode of a namespace given by name (under the named directory) or by path (anything with a
   * {@code /}).
   *
   * @throws DropWatchException when there is no such namespace
   */
  public long inode(String nameOrPath) {
    if (nameOrPath == null || nameOrPath.isBlank()) {
      throw new DropWatchException("--netns: empty namespace name");
    }
    Path p = nameOrPath.contains("/") ? Path.of(nameOrPath) : namedDir.resolve(nameOrPath);
    if (!Files.exists(p)) {
      throw new DropWatchException(
          "--netns: no network namespace '"
              + nameOrPath
              + "' ("
              + p
              + " does not exist; see ip netns list)");
    }
    try {
      return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
    } catch (IOException | UnsupportedOperationException e) {
      throw new DropWatchException(
          "--netns: cannot read the inode of " + p + ": " + e.getMessage());
    }
  }

  /**
   * The name of the namespace with this inode, or null when it has none. Namespaces come and go (a
   * lab rebuilt while watching): a miss rescans the directory, at most once a second.
   */
  public synchronized String nameOf(long inode) {
    String n = cache.get(inode);
    long now = System.nanoTime();
    if (n == null && (!scanned || now - scannedAt >= RESCAN_NANOS)) {
      cache = names();
      scanned = true;
      scannedAt = now;
      n = cache.get(inode);
    }
    return n;
  }

  /** Inode to name of every named namespace (empty when the directory does not exist). */
  public Map<Long, String> names() {
    Map<Long, String> names = new HashMap<>();
    if (!Files.isDirectory(namedDir)) {
      return names;
    }
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(namedDir)) {
      for (Path p : dir) {
        try {
          names.putIfAbsent(
              ((Number) Files.getAttribute(p, "unix:ino")).longValue(), p.getFileName().toString());
        } catch (IOException e) {
          // a namespace removed while listing: not named any more
        }
      }
    } catch (IOException e) {
      return names;
    }
    return names;
  }
}
