package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (SIGINT) on a running {@code hoptrace analyze}: the Kafka Streams state directory it made
 * is gone once it exited (issue 17, finding 5: it stayed behind in the OS temporary directory,
 * 29-47 MB each time), and it was made in hoptrace's own state directory ({@code $XDG_STATE_HOME}).
 */
class CtrlCCleanupIT {

  @TempDir Path tmp;

  private static List<Path> streamsDirs(Path root) throws Exception {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> p.getFileName().toString().startsWith("streams-")).toList();
    }
  }

  @Test
  void sigintOnAnalyzeRemovesItsStateDirectory() throws Exception {
    Path xdg = tmp.resolve("xdg-state");
    Path root = xdg.resolve("hoptrace");
    Path manifest = CliRun.repoRoot().resolve("deploy/lab/recordings/dual-ip/manifest.json");
    try (ChildHoptrace analyze =
        ChildHoptrace.start(
            tmp.resolve("analyze.log"),
            Map.of("XDG_STATE_HOME", xdg.toString()),
            "analyze",
            manifest.toString())) {
      // the job runs (its state directory exists) and the replay has begun
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (streamsDirs(root).isEmpty() || !analyze.output().contains("hop(s)")) {
        assertThat(analyze.isAlive()).as(analyze.output()).isTrue();
        assertThat(System.nanoTime()).as("no state directory under " + root).isLessThan(deadline);
        Thread.sleep(20);
      }
      analyze.awaitOutput("published the inventory", Duration.ofSeconds(120));
      List<Path> made = streamsDirs(root);
      assertThat(made).hasSize(1);

      assertThat(analyze.ignoresSigint()).as("SIGINT ignored by the child").isFalse();
      analyze.interrupt();
      int code = analyze.exitCode(Duration.ofSeconds(60));
      // 130 = 128 + SIGINT: stopped by the signal, not finished (no closing line: "N packets,
      // ..., K conversation(s)"; the replay's progress lines also name summaries)
      assertThat(code).as(analyze.output()).isEqualTo(130);
      assertThat(analyze.output()).doesNotContain(" conversation(s)");
      assertThat(made.get(0)).as(analyze.output()).doesNotExist();
      assertThat(streamsDirs(root)).isEmpty();
    }
  }

  @Test
  void stateDirOptionChoosesWhereAndANormalExitCleansUpToo() throws Exception {
    Path mine = tmp.resolve("mine");
    Path manifest = CliRun.repoRoot().resolve("deploy/lab/recordings/healthy/manifest.json");
    CliRun r = CliRun.run("analyze", "--state-dir", mine.toString(), manifest.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(mine).isDirectory();
    assertThat(streamsDirs(mine)).isEmpty();
  }
}
