package io.hoptrace.drops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A kernel drop watch: runs {@code bpftrace} on a generated {@link DropScript} and hands the drops
 * it counted to a consumer once a second.
 *
 * <p>Why a {@code bpftrace} helper process rather than libbpf through FFM or JNA: Java 17 has no
 * final FFM API, and libbpf from JNA would need a compiled BPF object (clang, kernel headers or a
 * vmlinux.h at build time, CO-RE relocations) and hand-written bindings for loading, attaching and
 * reading maps; {@code bpftrace} (Debian package, 0.17) compiles the program against the kernel's
 * BTF at run time, does the map aggregation in the kernel and prints JSON that Jackson reads. The
 * cost is a start-up of a few seconds and a dependency on the package; the script stays small and
 * readable. The program counts in a kernel map and prints once a second, so a drop storm costs a
 * map update per packet, never a line per packet.
 */
public final class DropWatch implements AutoCloseable {

  /**
   * What to watch.
   *
   * @param netnsInode only drops on devices in this namespace, if present
   * @param durationSeconds stop after this many seconds (0: until {@link #close()})
   * @param allReasons also count the normal-life reasons ({@link DropReasons#NORMAL_LIFE})
   * @param vxlanPorts UDP ports decoded as VXLAN
   * @param bpftrace the bpftrace program (a name looked up on PATH, or a path)
   * @param tracefs where to look for tracefs
   */
  public record Config(
      OptionalLong netnsInode,
      int durationSeconds,
      boolean allReasons,
      List<Integer> vxlanPorts,
      String bpftrace,
      List<Path> tracefs) {

    public Config {
      if (durationSeconds < 0) {
        throw new DropWatchException("--duration must be 0 or more seconds: " + durationSeconds);
      }
      for (int p : vxlanPorts) {
        if (p < 1 || p > 65535) {
          throw new DropWatchException("--vxlan-port must be 1..65535: " + p);
        }
      }
    }

    public static Config defaults() {
      return new Config(
          OptionalLong.empty(),
          0,
          false,
          DropScript.DEFAULT_VXLAN_PORTS,
          "bpftrace",
          DropReasons.TRACEFS);
    }
  }

  /** Known harmless stderr lines of bpftrace 0.17. */
  private static final List<String> NOISE =
      List.of("couldn't set RLIMIT_MEMLOCK", "Addrspace is not set");

  private final Config config;
  private final DropReasons reasons;
  private final Path executable;
  private volatile Process process;

  private DropWatch(Config config, DropReasons reasons, Path executable) {
    this.config = config;
    this.reasons = reasons;
    this.executable = executable;
  }

  /**
   * Checks everything that can be checked before starting: root, bpftrace installed, the kernel's
   * tracepoint with drop reasons.
   *
   * @throws DropWatchException with a one-line reason when a drop watch cannot run here
   */
  public static DropWatch prepare(Config config) {
    if (!isRoot()) {
      throw new DropWatchException(
          "kernel drop tracing needs root (CAP_BPF and CAP_PERFMON): run as root");
    }
    Path exe =
        findExecutable(config.bpftrace())
            .orElseThrow(
                () ->
                    new DropWatchException(
                        "bpftrace not found ("
                            + config.bpftrace()
                            + "): install it, e.g. apt-get install bpftrace"));
    return new DropWatch(config, DropReasons.load(config.tracefs()), exe);
  }

  /** The running kernel's reason table. */
  public DropReasons reasons() {
    return reasons;
  }

  /** The program this watch runs. */
  public String script() {
    Set<Integer> skip = config.allReasons() ? Set.of() : reasons.normalLifeCodes();
    return DropScript.generate(
        skip, config.netnsInode(), config.durationSeconds(), config.vxlanPorts());
  }

  /**
   * Runs until the duration has passed, {@link #close()} is called, or bpftrace fails.
   *
   * @param onAttached called once the probes are attached (drops are counted from then on)
   * @param perInterval called with each second's drops (only non-empty intervals)
   * @throws DropWatchException when bpftrace fails (its error line)
   */
  public void run(Runnable onAttached, Consumer<List<DropRecord>> perInterval) {
    BpftraceOutput parser = new BpftraceOutput(reasons);
    Path file = null;
    try {
      file = Files.createTempFile("hoptrace-drops", ".bt");
      Files.writeString(file, script());
      ProcessBuilder pb = new ProcessBuilder(executable.toString(), "-f", "json", file.toString());
      Process p = pb.start();
      process = p;
      List<String> errors = new ArrayList<>();
      Thread errReader = new Thread(() -> readErrors(p, errors), "bpftrace-stderr");
      errReader.setDaemon(true);
      errReader.start();
      try (BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          BpftraceOutput.Line l = parser.parse(line);
          if (l.kind() == BpftraceOutput.Kind.ATTACHED) {
            onAttached.run();
          } else if (l.kind() == BpftraceOutput.Kind.DROPS && !l.drops().isEmpty()) {
            perInterval.accept(l.drops());
          }
        }
      }
      int rc = p.waitFor();
      errReader.join(2000);
      if (rc != 0 && process != null) {
        throw new DropWatchException("bpftrace failed (exit " + rc + "): " + firstError(errors));
      }
    } catch (IOException e) {
      throw new DropWatchException("cannot run " + executable + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      close();
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  /** Stops bpftrace (SIGTERM); {@link #run} then returns normally. */
  @Override
  public void close() {
    Process p = process;
    process = null;
    if (p != null && p.isAlive()) {
      p.destroy();
    }
  }

  private static void readErrors(Process p, List<String> errors) {
    try (BufferedReader err =
        new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = err.readLine()) != null) {
        String l = line;
        if (!l.isBlank() && NOISE.stream().noneMatch(l::contains)) {
          synchronized (errors) {
            errors.add(l.strip());
          }
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
  }

  static String firstError(List<String> errors) {
    synchronized (errors) {
      return errors.stream()
          .filter(l -> l.contains("ERROR"))
          .findFirst()
          .or(() -> errors.stream().findFirst())
          .orElse("no message");
    }
  }

  private static boolean isRoot() {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  static Optional<Path> findExecutable(String name) {
    if (name.contains("/")) {
      Path p = Path.of(name);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv("PATH");
    List<String> dirs = new ArrayList<>(List.of((path == null ? "" : path).split(":")));
    dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin"));
    for (String d : dirs) {
      if (!d.isEmpty()) {
        Path p = Path.of(d, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }
}
