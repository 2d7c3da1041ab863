package io.hoptrace.drops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's drop reasons ({@code enum skb_drop_reason}), as the running kernel names them:
 * parsed from the {@code __print_symbolic(REC->reason, { 2, "NOT_SPECIFIED" }, ...)} table of the
 * {@code skb:kfree_skb} tracepoint's {@code format} file, never hard-coded (the numbers change
 * between kernel versions).
 */
public final class DropReasons {

  /** Where tracefs is usually mounted; the first with the tracepoint wins. */
  public static final List<Path> TRACEFS =
      List.of(Path.of("/sys/kernel/tracing"), Path.of("/sys/kernel/debug/tracing"));

  static final String FORMAT = "events/skb/kfree_skb/format";

  /**
   * Reasons that are normal life rather than a network fault: sockets closing, queues purged,
   * unspecified frees. Skipped unless asked for all reasons.
   */
  public static final Set<String> NORMAL_LIFE =
      Set.of(
          "NOT_SPECIFIED",
          "SKB_CONSUMED",
          "SOCKET_CLOSE",
          "TCP_CLOSE",
          "UNIX_DISCONNECT",
          "UNIX_SKIP_OOB",
          "QUEUE_PURGE");

  private static final Pattern SYMBOLIC =
      Pattern.compile("__print_symbolic\\(\\s*REC->reason\\s*,(.*)\\)", Pattern.DOTALL);
  private static final Pattern ENTRY =
      Pattern.compile("\\{\\s*(0x[0-9a-fA-F]+|\\d+)\\s*,\\s*\"([A-Za-z0-9_]+)\"\\s*}");
  private static final Pattern REASON_FIELD =
      Pattern.compile("field:\\s*enum\\s+skb_drop_reason\\s+reason;");

  private final Map<Integer, String> names;

  private DropReasons(Map<Integer, String> names) {
    this.names = Collections.unmodifiableMap(names);
  }

  /**
   * Parses the text of {@code events/skb/kfree_skb/format}.
   *
   * @throws DropWatchException when the kernel's tracepoint carries no drop reason (before 5.17)
   */
  public static DropReasons parse(String format) {
    if (!REASON_FIELD.matcher(format).find()) {
      throw new DropWatchException(
          "the kernel's skb:kfree_skb tracepoint has no drop reason field (needs Linux 5.17 or"
              + " newer)");
    }
    Matcher sym = SYMBOLIC.matcher(format);
    Map<Integer, String> names = new LinkedHashMap<>();
    if (sym.find()) {
      Matcher e = ENTRY.matcher(sym.group(1));
      while (e.find()) {
        String n = e.group(1);
        int code = n.startsWith("0x") ? Integer.parseInt(n.substring(2), 16) : Integer.parseInt(n);
        names.put(code, e.group(2));
      }
    }
    if (names.isEmpty()) {
      throw new DropWatchException(
          "could not read the drop reason names from the skb:kfree_skb format file");
    }
    return new DropReasons(names);
  }

  /** Reads the format file from the first tracefs mount that has it. */
  public static DropReasons load(List<Path> tracefsRoots) {
    for (Path root : tracefsRoots) {
      Path f = root.resolve(FORMAT);
      if (Files.isReadable(f)) {
        try {
          return parse(Files.readString(f));
        } catch (IOException e) {
          throw new DropWatchException("cannot read " + f + ": " + e.getMessage());
        }
      }
    }
    Path first = tracefsRoots.get(0);
    if (Files.isDirectory(first) && !Files.exists(first.resolve("events"))) {
      throw new DropWatchException(
          "tracefs is not mounted at "
              + first
              + " (as root: mount -t tracefs nodev "
              + first
              + ")");
    }
    throw new DropWatchException(
        "no skb:kfree_skb tracepoint under " + tracefsRoots + " (kernel without tracing?)");
  }

  /** The reason's name, or {@code REASON_<code>} when this kernel's table does not list it. */
  public String name(int code) {
    String n = names.get(code);
    return n != null ? n : "REASON_" + code;
  }

  /** All codes and names, in the kernel's order. */
  public Map<Integer, String> all() {
    return names;
  }

  /** The codes of the normal-life reasons this kernel knows, in ascending order. */
  public Set<Integer> normalLifeCodes() {
    Set<Integer> codes = new TreeSet<>();
    names.forEach(
        (code, name) -> {
          if (NORMAL_LIFE.contains(name)) {
            codes.add(code);
          }
        });
    return codes;
  }
}
