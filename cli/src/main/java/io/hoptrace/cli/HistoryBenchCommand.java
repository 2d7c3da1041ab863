package io.hoptrace.cli;

import io.hoptrace.history.StoreBench;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hoptrace bench history}: flow store write rate and query latency. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = {
      "Writes --flows generated final flow records (spread over one day, --hops hops each) to a"
          + " new flow store in --dir through the store writer's path (DuckDB → Parquet, fsync,"
          + " rename; no Kafka), then times a lookup of one destination IP in one hour (typed"
          + " filter, and SQL on date/hour) and the day's verdict counts, each on a freshly opened"
          + " store as `hoptrace flows`/`query` do. Prints flows/s and the latencies (wall and"
          + " process CPU, ms). --query-only times an existing store instead of writing one;"
          + " --compare DIR times the same queries on another store in the same run, in turn"
          + " (e.g. one written by an earlier version of the writer). --compact first merges"
          + " each settled hour's flow files of --dir into one, as the store writer does."
    })
final class HistoryBenchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--flows",
      defaultValue = "10000000",
      description = "Flow records to write (default: ${DEFAULT-VALUE}).")
  long flows;

  @Option(
      names = "--hops",
      defaultValue = "6",
      description = "Hops per flow (two flow_hops rows each) (default: ${DEFAULT-VALUE}).")
  int hops;

  @Option(
      names = "--runs",
      defaultValue = "5",
      description = "Timed runs of each query, after one warm-up (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      required = true,
      description = "Where to write the store (must not exist or be empty).")
  Path dir;

  @Option(
      names = "--query-only",
      description = "Do not write: time the queries on the store already in --dir.")
  boolean queryOnly;

  @Option(
      names = "--compact",
      description =
          "Before the queries, merge each settled hour's flow files in --dir into one (as the"
              + " store writer does, a few hours per check; here all), and print how long it took.")
  boolean compact;

  @Option(
      names = "--compare",
      paramLabel = "DIR",
      description = "Another store to time the same queries on, in turn (repeatable).")
  List<Path> compare = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (flows < 1) {
      throw new IllegalArgumentException("--flows " + flows + ": must be >= 1");
    }
    if (hops < 1) {
      throw new IllegalArgumentException("--hops " + hops + ": must be >= 1");
    }
    if (runs < 1) {
      throw new IllegalArgumentException("--runs " + runs + ": must be >= 1");
    }
    if (queryOnly) {
      requireStore("--dir", dir);
    } else if (Files.exists(dir)) {
      try (var s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          throw new IllegalArgumentException("--dir " + dir + ": not empty");
        }
      }
    }
    for (Path c : compare) {
      requireStore("--compare", c);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    StoreBench.Result r =
        new StoreBench(dir, queryOnly ? 0 : flows, hops, compact)
            .run(
                runs,
                compare,
                msg -> {
                  err.println("hoptrace bench history: " + msg);
                  err.flush();
                });
    out.println(r);
    out.flush();
    return 0;
  }

  private static void requireStore(String option, Path p) {
    if (!Files.isDirectory(p.resolve("flows"))) {
      throw new IllegalArgumentException(option + " " + p + ": not a flow store (no flows/ in it)");
    }
  }
}
