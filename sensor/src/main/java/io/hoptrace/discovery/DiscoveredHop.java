package io.hoptrace.discovery;

import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.NetnsTarget;
import java.util.Objects;

/**
 * A hop found by {@link HopDiscovery}: where to capture and under which hop id.
 *
 * @param netns the namespace holding the interface, or null for the sensor's own
 * @param ip the pod's address (pod interfaces only), or null
 */
public record DiscoveredHop(HopContext hop, NetnsTarget netns, String ip) {
  public DiscoveredHop {
    Objects.requireNonNull(hop, "hop");
  }

  /** The hop id, {@code node/iface} or {@code node/pod/iface}. */
  public String id() {
    return hop.id();
  }
}
