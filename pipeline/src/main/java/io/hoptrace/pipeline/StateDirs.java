package io.hoptrace.pipeline;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where hoptrace keeps local state (Kafka Streams state stores): a directory of its own, never the
 * OS temporary directory, which tools like systemd-tmpfiles may clear under a running job (Kafka
 * Streams warns about it). {@code $XDG_STATE_HOME/hoptrace} when that variable is set (XDG Base
 * Directory specification), else {@code ~/.local/state/hoptrace}.
 */
public final class StateDirs {

  private StateDirs() {}

  /** hoptrace's state directory for this environment (not created here). */
  public static Path root(Map<String, String> env) {
    String xdg = env.get("XDG_STATE_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "hoptrace");
    }
    String home = env.get("HOME");
    if (home == null || home.isBlank()) {
      home = System.getProperty("user.home");
    }
    return Path.of(home, ".local", "state", "hoptrace");
  }

  /** {@link #root(Map)} of this process's environment. */
  public static Path root() {
    return root(System.getenv());
  }
}
