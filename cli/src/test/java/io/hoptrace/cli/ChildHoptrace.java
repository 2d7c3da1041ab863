package io.hoptrace.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code hoptrace ARGS} in a JVM of its own, as the launcher starts it (the test classpath stands
 * for the launcher's jars), its stdout and stderr going to one log file: for what only a separate
 * process shows (signals, file locks between processes, exit codes).
 */
final class ChildHoptrace implements AutoCloseable {

  private final Process process;
  private final Path log;

  private ChildHoptrace(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ChildHoptrace start(Path log, Map<String, String> env, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    // SIGINT as in a terminal: a process started in the background by a non-interactive shell
    // (e.g. `mvn verify &`) ignores SIGINT, and so would every process it starts; perl (Debian's
    // essential perl-base) resets it to the default and execs the JVM in its place (same pid)
    cmd.addAll(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec {$ARGV[0]} @ARGV or die $!"));
    cmd.add(java);
    cmd.add("--add-exports");
    cmd.add("java.base/jdk.internal.misc=ALL-UNNAMED");
    cmd.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.hoptrace.schema");
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    pb.environment().putAll(env);
    return new ChildHoptrace(pb.start(), log);
  }

  long pid() {
    return process.pid();
  }

  /** What the process printed so far. */
  String output() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits until the output contains {@code text}; fails when the process ends or time is up. */
  void awaitOutput(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!output().contains(text)) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "exited (" + process.exitValue() + ") without printing '" + text + "':\n" + output());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + text + "' after " + timeout + ":\n" + output());
      }
      Thread.sleep(50);
    }
  }

  /** Whether the process ignores SIGINT (its {@code SigIgn} mask in /proc). */
  boolean ignoresSigint() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0x2) != 0;
      }
    }
    return false;
  }

  /** Sends SIGINT, as Ctrl-C in a terminal does. */
  void interrupt() throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new AssertionError("kill -INT " + process.pid() + " failed");
    }
  }

  /** The exit code, waiting at most {@code timeout}. */
  int exitCode(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  /** Sends SIGKILL (no shutdown hook runs) and waits for the process to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("still alive 30 s after SIGKILL");
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
