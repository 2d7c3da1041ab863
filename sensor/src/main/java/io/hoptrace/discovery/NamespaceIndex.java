package io.hoptrace.discovery;

import io.hoptrace.capture.NetnsTarget;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network namespaces on this host, each once (by inode): the named ones under {@code
 * /var/run/netns}, then those only reachable through a process, {@code /proc/PID/ns/net} (a pod's
 * pause process when the runtime does not name its namespaces). Directories are parameters so tests
 * can use their own.
 */
public final class NamespaceIndex {
  private static final Pattern NET_LINK = Pattern.compile("net:\\[(\\d+)]");

  /** A namespace and its inode (the same for every file that refers to it). */
  public record Namespace(long inode, NetnsTarget target) {}

  private final Path netnsDir;
  private final Path procDir;

  public NamespaceIndex(Path netnsDir, Path procDir) {
    this.netnsDir = Objects.requireNonNull(netnsDir, "netnsDir");
    this.procDir = Objects.requireNonNull(procDir, "procDir");
  }

  /** {@code /var/run/netns} and {@code /proc}. */
  public static NamespaceIndex system() {
    return new NamespaceIndex(Path.of("/var/run/netns"), Path.of("/proc"));
  }

  /** Every namespace once, named ones first (a named one is never listed again by process). */
  public List<Namespace> scan() {
    List<Namespace> out = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (Path p : list(netnsDir)) {
      OptionalLong ino = inode(p);
      if (ino.isPresent() && seen.add(ino.getAsLong())) {
        out.add(new Namespace(ino.getAsLong(), NetnsTarget.named(p.getFileName().toString())));
      }
    }
    for (Path pid : list(procDir)) {
      if (!pid.getFileName().toString().chars().allMatch(Character::isDigit)) {
        continue;
      }
      Path ns = pid.resolve("ns").resolve("net");
      OptionalLong ino = inode(ns);
      if (ino.isPresent() && seen.add(ino.getAsLong())) {
        out.add(new Namespace(ino.getAsLong(), NetnsTarget.path(ns.toString())));
      }
    }
    return out;
  }

  /** The inode of the namespace a file refers to ({@code net:[N]} link, or a bind-mounted file). */
  public static OptionalLong inode(Path p) {
    try {
      if (Files.isSymbolicLink(p)) {
        Matcher m = NET_LINK.matcher(Files.readSymbolicLink(p).toString());
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
      }
      Object ino = Files.getAttribute(p, "unix:ino");
      return ino instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return OptionalLong.empty(); // process gone, no permission: not a candidate
    }
  }

  private static List<Path> list(Path dir) {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(out::add);
    } catch (IOException e) {
      // unreadable: no namespaces from there
    }
    out.sort(null);
    return out;
  }
}
