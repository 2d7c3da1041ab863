package io.hoptrace.discovery;

import io.hoptrace.capture.NetnsTarget;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A pod's name when no Kubernetes API is asked: its network namespace's name, with a configured
 * prefix removed ({@code --pod-netns-prefix}: the lab names pod namespaces {@code ht-pod-a1} for
 * pod {@code pod-a1}, so its prefix is {@code ht-}); a namespace reachable only through a process
 * is named {@code pid-PID}. A name without the prefix is kept whole. {@code '/'} cannot occur
 * (netns names exclude it), so the name is a valid hop-id component.
 */
public record PodNaming(String stripPrefix) {
  public PodNaming {
    Objects.requireNonNull(stripPrefix, "stripPrefix");
    if (stripPrefix.contains("/")) {
      throw new IllegalArgumentException("--pod-netns-prefix must not contain '/'");
    }
  }

  /** No prefix removed. */
  public static PodNaming verbatim() {
    return new PodNaming("");
  }

  public String podName(NetnsTarget ns) {
    if (ns.name() != null) {
      String n = ns.name();
      return !stripPrefix.isEmpty()
              && n.startsWith(stripPrefix)
              && n.length() > stripPrefix.length()
          ? n.substring(stripPrefix.length())
          : n;
    }
    // /proc/PID/ns/net
    Path p = Path.of(ns.path());
    Path pid = p.getNameCount() >= 3 ? p.getName(p.getNameCount() - 3) : p.getFileName();
    return "pid-" + pid;
  }
}
