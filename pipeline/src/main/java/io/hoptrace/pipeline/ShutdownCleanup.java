package io.hoptrace.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.common.utils.Utils;

/**
 * Ctrl-C or SIGTERM: the JVM halts once its shutdown hooks return, whatever the main thread was
 * doing, so a {@code close()} in a finally block may never run. This hook, registered as soon as
 * the temporary state directory exists, closes the pipeline once there is one (bounded: a job stuck
 * stopping does not hold the exit) and then deletes that directory in any case.
 */
final class ShutdownCleanup {
  /** Longest a Ctrl-C waits for the pipeline to close before the state is deleted anyway. */
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Path temporaryState;
  private final Thread hook = new Thread(this::run, "hoptrace-pipeline-shutdown");
  volatile EmbeddedPipeline pipeline;

  ShutdownCleanup(Path temporaryState) {
    this.temporaryState = temporaryState;
    Runtime.getRuntime().addShutdownHook(hook);
  }

  void unregister() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException | IllegalArgumentException shuttingDown) {
      // the JVM is exiting: the hook is running (and may be what called close())
    }
  }

  private void run() {
    EmbeddedPipeline p = pipeline;
    if (p != null) {
      Thread closer = new Thread(p::close, "hoptrace-pipeline-close");
      closer.setDaemon(true);
      closer.start();
      try {
        closer.join(WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    deleteRecursively(temporaryState);
  }

  /** Best effort: a temporary directory left behind is not an error. */
  static void deleteRecursively(Path dir) {
    if (dir == null) {
      return;
    }
    try {
      Utils.delete(dir.toFile());
    } catch (IOException e) {
      // left behind
    }
  }
}
