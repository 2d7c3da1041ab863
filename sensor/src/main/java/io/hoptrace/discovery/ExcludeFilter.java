package io.hoptrace.discovery;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * {@code --exclude} glob patterns ({@code *}, {@code ?}, {@code [..]}, {@code {a,b}}, as in {@link
 * java.nio.file.FileSystem#getPathMatcher}). A hop is excluded when a pattern matches its interface
 * name (e.g. {@code docker0}, {@code veth*}) or its whole hop id ({@code node-a/* /eth0} without
 * the space: {@code *} does not cross {@code '/'}).
 */
public final class ExcludeFilter {
  private final List<PathMatcher> matchers;

  private ExcludeFilter(List<PathMatcher> matchers) {
    this.matchers = matchers;
  }

  /**
   * @throws IllegalArgumentException naming the bad pattern
   */
  public static ExcludeFilter of(List<String> patterns) {
    List<PathMatcher> m = new ArrayList<>();
    for (String p : patterns) {
      if (p == null || p.isBlank()) {
        throw new IllegalArgumentException("--exclude pattern must not be empty");
      }
      try {
        m.add(FileSystems.getDefault().getPathMatcher("glob:" + p));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "bad --exclude pattern '" + p + "': " + e.getDescription(), e);
      }
    }
    return new ExcludeFilter(List.copyOf(m));
  }

  /** Nothing excluded. */
  public static ExcludeFilter none() {
    return new ExcludeFilter(List.of());
  }

  public boolean excludes(DiscoveredHop h) {
    Path iface = Path.of(h.hop().iface());
    Path id = Path.of(h.id());
    for (PathMatcher m : matchers) {
      if (m.matches(iface) || m.matches(id)) {
        return true;
      }
    }
    return false;
  }
}
