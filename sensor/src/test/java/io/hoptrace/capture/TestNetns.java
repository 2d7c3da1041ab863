package io.hoptrace.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands for integration tests that build network namespaces (root only). Shared with other
 * modules through the sensor test-jar.
 */
public final class TestNetns {
  private TestNetns() {}

  public record Result(int exit, String out) {}

  public static Result run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timeout");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  public static String must(String... cmd) {
    Result r = run(cmd);
    if (r.exit() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + r.out());
    }
    return r.out();
  }

  /** Why namespaces cannot be used here, or null when they can. */
  public static String unavailableReason() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "needs root (ip netns, veth, live capture)";
    }
    String probe = "htprobe" + ProcessHandle.current().pid();
    Result r = run("ip", "netns", "add", probe);
    if (r.exit() != 0) {
      return "ip netns unavailable: " + r.out().trim();
    }
    run("ip", "netns", "del", probe);
    if (run("tcpdump", "--version").exit() != 0) {
      return "tcpdump not installed";
    }
    return null;
  }

  /**
   * A namespace {@code ns} whose {@code eth0} is {@code net}.2/30, the veth peer of {@code hostIf}
   * ({@code net}.1/30) in this namespace; both up. {@code net} is three octets, e.g. 10.214.7.
   */
  public static void vethToNamespace(String ns, String hostIf, String net) {
    must("ip", "netns", "add", ns);
    must("ip", "link", "add", hostIf, "type", "veth", "peer", "name", "eth0", "netns", ns);
    must("ip", "addr", "add", net + ".1/30", "dev", hostIf);
    must("ip", "link", "set", hostIf, "up");
    must("ip", "-n", ns, "addr", "add", net + ".2/30", "dev", "eth0");
    must("ip", "-n", ns, "link", "set", "eth0", "up");
  }

  /** Deletes namespaces and host links, ignoring what is already gone. */
  public static void cleanup(List<String> namespaces, List<String> links) {
    for (String l : new ArrayList<>(links)) {
      run("ip", "link", "del", l);
    }
    for (String ns : new ArrayList<>(namespaces)) {
      run("ip", "netns", "del", ns);
    }
  }
}
