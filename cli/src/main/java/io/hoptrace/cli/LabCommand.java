package io.hoptrace.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hoptrace lab ...}: drives {@code deploy/lab/lab.sh}, the network-namespace overlay lab
 * (two flannel VXLAN nodes, pods, an underlay) and its incident scenarios. The script does the
 * work; this command finds it, refuses early when not root, streams its output and returns its exit
 * code.
 */
@Command(
    name = "lab",
    mixinStandardHelpOptions = true,
    description =
        "The overlay lab: a two-node flannel VXLAN overlay built from network namespaces (ht-*)"
            + " on this machine, and the field incidents of SPEC section 1 reproduced in it. Needs"
            + " root. Runs deploy/lab/lab.sh, found via $HOPTRACE_HOME, else in the working"
            + " directory or its parents.",
    footer = {
      "",
      "Examples:",
      "  hoptrace lab up",
      "  hoptrace lab scenario vxlan-blocked --variant underlay",
      "  hoptrace lab record vxlan-blocked /tmp/vb",
      "  hoptrace analyze /tmp/vb/manifest.json",
      "  hoptrace lab down",
      "",
      "Exit codes: the script's; "
          + LabCommand.EXIT_NOT_ROOT
          + " when not root; 2 when the script"
          + " cannot be found."
    })
public final class LabCommand implements Callable<Integer> {

  /** Exit code when the command is refused because the user is not root (sysexits EX_NOPERM). */
  public static final int EXIT_NOT_ROOT = 77;

  /** Environment variable naming the hoptrace installation (set by the launcher). */
  public static final String HOME_ENV = io.hoptrace.replay.Recordings.HOME_ENV;

  /** Location of the lab script below the installation / repository root. */
  public static final Path SCRIPT = Path.of("deploy", "lab", "lab.sh");

  private final Map<String, String> env;
  private final Path workingDir;
  private final IntSupplier effectiveUid;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Used by picocli: the process environment, working directory and user. */
  public LabCommand() {
    this(System.getenv(), Path.of("").toAbsolutePath(), LabCommand::currentEffectiveUid);
  }

  /** For tests: explicit environment, working directory and effective user id. */
  LabCommand(Map<String, String> env, Path workingDir, IntSupplier effectiveUid) {
    this.env = env;
    this.workingDir = workingDir;
    this.effectiveUid = effectiveUid;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description = "Build the lab (idempotent); verifies isolation and pod-to-pod connectivity.")
  int up(
      @picocli.CommandLine.Option(
              names = "--dual-stack",
              description =
                  "Also IPv6: pods over flannel-v6.1 between the nodes' IPv6 addresses (rebuilds"
                      + " a single-stack lab).")
          boolean dualStack) {
    return runAsRoot(dualStack ? List.of("up", "--dual-stack") : List.of("up"));
  }

  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description =
          "Remove every ht-* namespace and lab process (idempotent; also after a crash or a"
              + " killed run).")
  int down() {
    return runAsRoot(List.of("down"));
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Show the lab's namespaces, addresses, active fault and processes.")
  int status() {
    return runAsRoot(List.of("status"));
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the scenarios (no root needed).")
  int list() {
    return run(List.of("list"));
  }

  @Command(
      name = "scenario",
      mixinStandardHelpOptions = true,
      description =
          "Apply a scenario's fault, run its bounded traffic (every client has a timeout), revert.")
  int scenario(
      @Parameters(paramLabel = "NAME", description = "healthy, vxlan-blocked, ... (see: list)")
          String name,
      @Option(
              names = "--variant",
              paramLabel = "V",
              description = "vxlan-blocked: host (node-b INPUT, default) or underlay")
          String variant) {
    return runAsRoot(withVariant(List.of("scenario", name), variant));
  }

  @Command(
      name = "record",
      mixinStandardHelpOptions = true,
      description =
          "Run a scenario with tcpdump on every hop of both nodes and inside the pods; write one"
              + " pcap per hop, manifest.json (the input of 'hoptrace analyze') and truth.json"
              + " (flows, expected alerts, lost-at segments) into DIR.")
  int record(
      @Parameters(index = "0", paramLabel = "NAME", description = "the scenario") String name,
      @Parameters(index = "1", paramLabel = "DIR", description = "output directory") Path dir,
      @Option(
              names = "--variant",
              paramLabel = "V",
              description = "vxlan-blocked: host (node-b INPUT, default) or underlay")
          String variant) {
    return runAsRoot(
        withVariant(List.of("record", name, dir.toAbsolutePath().toString()), variant));
  }

  private static List<String> withVariant(List<String> args, String variant) {
    List<String> all = new ArrayList<>(args);
    if (variant != null) {
      all.add("--variant");
      all.add(variant);
    }
    return all;
  }

  private int runAsRoot(List<String> args) {
    if (effectiveUid.getAsInt() != 0) {
      spec.commandLine()
          .getErr()
          .println(
              "hoptrace lab: refused: the lab needs root (network namespaces, veth, iptables,"
                  + " tcpdump); run it as root, e.g. sudo ./hoptrace lab "
                  + String.join(" ", args));
      return EXIT_NOT_ROOT;
    }
    return run(args);
  }

  private int run(List<String> args) {
    PrintWriter err = spec.commandLine().getErr();
    Optional<Path> script = locate(env, workingDir);
    if (script.isEmpty()) {
      err.println(
          "hoptrace lab: cannot find "
              + SCRIPT
              + " (set "
              + HOME_ENV
              + " to the hoptrace directory, or run from inside it)");
      return 2;
    }
    return execute(script.get(), args, spec.commandLine().getOut(), err);
  }

  /**
   * Finds the lab script: {@code $HOPTRACE_HOME/deploy/lab/lab.sh} when the variable is set, else
   * {@code deploy/lab/lab.sh} in the working directory or the nearest parent that has one.
   */
  public static Optional<Path> locate(Map<String, String> env, Path workingDir) {
    String home = env.get(HOME_ENV);
    if (home != null && !home.isBlank()) {
      Path p = Path.of(home).resolve(SCRIPT);
      return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }
    for (Path dir = workingDir.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path p = dir.resolve(SCRIPT);
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Runs the script with bash, copying its standard output and error line by line as they come, and
   * returns its exit code. If this JVM is stopped meanwhile (Ctrl-C), the script gets SIGTERM so
   * that its own clean-up (captures, servers, fault) runs.
   */
  public static int execute(Path script, List<String> args, PrintWriter out, PrintWriter err) {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(script.toString());
    command.addAll(args);
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + script + ": " + e.getMessage(), e);
    }
    Thread stopper = new Thread(() -> stop(process), "hoptrace-lab-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    Thread errCopier = new Thread(() -> copy(process.getErrorStream(), err), "hoptrace-lab-stderr");
    errCopier.setDaemon(true);
    errCopier.start();
    try {
      copy(process.getInputStream(), out);
      int code = process.waitFor();
      errCopier.join(TimeUnit.SECONDS.toMillis(5));
      return code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(process);
      return 130;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it stops the script
      }
    }
  }

  private static void stop(Process process) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static void copy(InputStream in, PrintWriter to) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        to.println(line);
        to.flush();
      }
    } catch (IOException e) {
      to.println("hoptrace lab: output lost: " + e.getMessage());
      to.flush();
    }
  }

  /** The effective user id from /proc/self/status, or -1 when it cannot be read. */
  static int currentEffectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          String[] f = line.substring(4).trim().split("\\s+");
          return Integer.parseInt(f[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
