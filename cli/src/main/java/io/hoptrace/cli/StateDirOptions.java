package io.hoptrace.cli;

import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.pipeline.StateDirs;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --state-dir DIR} of the embedded pipeline ({@code demo}, {@code analyze}): where the job's
 * temporary Kafka Streams state goes ({@link StateDirs}, not the OS temporary directory). It is
 * deleted at exit, also on Ctrl-C ({@link EmbeddedPipeline}'s shutdown hook).
 */
final class StateDirOptions {

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where the job keeps its temporary Kafka Streams state (a streams-* directory in it,"
              + " deleted at exit, also on Ctrl-C; default: $XDG_STATE_HOME/hoptrace or"
              + " ~/.local/state/hoptrace).")
  Path stateDir;

  /** The builder with {@code --state-dir} applied. */
  EmbeddedPipeline.Builder apply(EmbeddedPipeline.Builder b) {
    return stateDir == null ? b : b.stateRoot(stateDir);
  }
}
