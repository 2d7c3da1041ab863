package io.hoptrace.capture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A network namespace to capture in: a named one ({@code ip netns exec NAME}, i.e. one under {@code
 * /run/netns}) or any namespace file ({@code nsenter --net=PATH}, e.g. {@code /proc/PID/ns/net} of
 * a pod's pause process).
 */
public record NetnsTarget(String name, String path) {

  public NetnsTarget {
    if ((name == null) == (path == null)) {
      throw new IllegalArgumentException("give exactly one of a namespace name or path");
    }
    if (name != null && (name.isBlank() || name.contains("/"))) {
      throw new IllegalArgumentException("bad network namespace name: '" + name + "'");
    }
  }

  public static NetnsTarget named(String name) {
    return new NetnsTarget(Objects.requireNonNull(name, "name"), null);
  }

  public static NetnsTarget path(String path) {
    return new NetnsTarget(null, Objects.requireNonNull(path, "path"));
  }

  /** The command prefix that runs a program inside the namespace. */
  public List<String> execPrefix() {
    return name != null
        ? List.of("ip", "netns", "exec", name)
        : List.of("nsenter", "--net=" + path, "--");
  }

  /**
   * Checks that the namespace exists: a named one under {@code /run/netns} (or {@code
   * /var/run/netns}), a path as a file.
   *
   * @throws IllegalArgumentException naming the namespace otherwise
   */
  public void checkExists() {
    if (name != null) {
      if (!Files.exists(Path.of("/run/netns", name))
          && !Files.exists(Path.of("/var/run/netns", name))) {
        throw new IllegalArgumentException(
            "network namespace '"
                + name
                + "' does not exist (no /run/netns/"
                + name
                + "; `ip netns list` shows the named ones)");
      }
    } else if (!Files.exists(Path.of(path))) {
      throw new IllegalArgumentException("network namespace file " + path + " does not exist");
    }
  }

  /** How to name the namespace in messages. */
  public String label() {
    return name != null ? name : path;
  }
}
