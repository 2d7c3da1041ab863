package io.hoptrace.contract;

/**
 * The id of a hop, the place a packet was captured: {@code node/iface}, or {@code node/pod/iface}
 * for an interface inside a pod's network namespace. It names hops in flows, alerts and the
 * detection's state.
 *
 * <p><b>Allowed names.</b> Node, pod and interface are non-empty and contain no {@code '/'}, the
 * separator; anything else is allowed (Kubernetes node and pod names are DNS subdomains, Linux
 * interface names exclude {@code '/'} and white space, but {@code ':'}, {@code '.'}, {@code '@'}
 * and non-ASCII characters occur and are kept as they are). With that rule {@link #parse} is the
 * inverse of {@link #toString}. The constructor enforces it; the lenient {@link #format} (used on
 * received records, which must never throw) does not.
 */
public record HopId(String node, String pod, String iface) {
  /** The separator of the text form. */
  public static final char SEPARATOR = '/';

  /** Validates: node and iface set, pod null or set, no component empty or holding a '/'. */
  public HopId {
    check("node", node);
    if (pod != null) {
      check("pod", pod);
    }
    check("iface", iface);
  }

  private static void check(String what, String v) {
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException(what + " must be set");
    }
    if (v.indexOf(SEPARATOR) >= 0) {
      throw new IllegalArgumentException(what + " must not contain '/': " + v);
    }
  }

  /** A hop without a pod ({@code node/iface}). */
  public static HopId of(String node, String iface) {
    return new HopId(node, null, iface);
  }

  /**
   * Parses {@code node/iface} or {@code node/pod/iface}; throws {@link IllegalArgumentException}
   * for any other shape (an empty component, or fewer than two or more than three).
   */
  public static HopId parse(String id) {
    if (id == null) {
      throw new IllegalArgumentException("hop id must be set");
    }
    int first = id.indexOf(SEPARATOR);
    int last = id.lastIndexOf(SEPARATOR);
    if (first < 0) {
      throw new IllegalArgumentException("not a hop id (node/iface or node/pod/iface): " + id);
    }
    String node = id.substring(0, first);
    String iface = id.substring(last + 1);
    String pod = first == last ? null : id.substring(first + 1, last);
    return new HopId(node, pod, iface);
  }

  /**
   * The text form of a hop id, {@code node/iface} when {@code pod} is null, else {@code
   * node/pod/iface}, without validation (for records received from elsewhere).
   */
  public static String format(String node, String pod, String iface) {
    return pod == null ? node + SEPARATOR + iface : node + SEPARATOR + pod + SEPARATOR + iface;
  }

  /** The node of a hop id: the text before the first '/' (the whole text if none). Lenient. */
  public static String nodeOf(String id) {
    if (id == null) {
      return null;
    }
    int i = id.indexOf(SEPARATOR);
    return i < 0 ? id : id.substring(0, i);
  }

  /** The interface of a hop id: the text after the last '/' (the whole text if none). Lenient. */
  public static String ifaceOf(String id) {
    int i = id.lastIndexOf(SEPARATOR);
    return i < 0 ? id : id.substring(i + 1);
  }

  /** {@code node/iface} or {@code node/pod/iface}. */
  @Override
  public String toString() {
    return format(node, pod, iface);
  }
}
