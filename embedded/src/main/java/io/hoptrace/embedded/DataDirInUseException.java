package io.hoptrace.embedded;

import java.nio.file.Path;

/** Another broker runs on the data directory: this one did not start and touched nothing in it. */
public final class DataDirInUseException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final transient Path dataDir;
  private final String pid;

  DataDirInUseException(Path dataDir, String pid) {
    super(
        "data directory "
            + dataDir
            + " is in use by another broker (pid "
            + (pid == null ? "unknown" : pid)
            + ")");
    this.dataDir = dataDir;
    this.pid = pid;
  }

  /** The directory in use. */
  public Path dataDir() {
    return dataDir;
  }

  /** The pid of the broker holding it, as written in its lock file, or null if unknown. */
  public String pid() {
    return pid;
  }
}
