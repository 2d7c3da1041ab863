package io.hoptrace.replay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Where the bundled lab recordings are ({@value #RECORDINGS}: one directory per scenario). */
public final class Recordings {
  /** The recordings directory, relative to the hoptrace directory. */
  public static final String RECORDINGS = "deploy/lab/recordings";

  /** The environment variable naming the hoptrace directory (set by the launcher). */
  public static final String HOME_ENV = "HOPTRACE_HOME";

  private Recordings() {}

  /**
   * The recordings directory: {@code $HOPTRACE_HOME/deploy/lab/recordings} when set, else {@code
   * deploy/lab/recordings} in the working directory or its nearest parent that has one.
   */
  public static Optional<Path> locate(Map<String, String> env, Path workingDir) {
    String home = env.get(HOME_ENV);
    if (home != null && !home.isBlank()) {
      Path p = Path.of(home).resolve(RECORDINGS);
      return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
    for (Path d = workingDir.toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve(RECORDINGS);
      if (Files.isDirectory(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The manifest of one bundled scenario (e.g. {@code healthy}), found as {@link #locate} does. */
  public static Manifest manifest(String scenario) {
    return Manifest.read(
        locate(System.getenv(), Path.of(""))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no bundled recordings found (run from the repository, or set"
                            + " HOPTRACE_HOME)"))
            .resolve(scenario + "/manifest.json"));
  }
}
