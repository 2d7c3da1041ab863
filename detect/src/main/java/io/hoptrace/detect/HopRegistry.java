package io.hoptrace.detect;

import io.hoptrace.detect.state.StateStore;
import io.hoptrace.schema.PacketSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hops sensors reported packets from, by node: kept in the host's hops store and cached in
 * memory (loaded once per instance), for path planning.
 */
final class HopRegistry {
  private final StateStore<String, HopInfo> store;
  private final Map<String, List<HopInfo>> hopsByNode = new HashMap<>();
  private final Set<String> knownHops = new HashSet<>();
  private boolean hopsLoaded;
  private long version;

  HopRegistry(StateStore<String, HopInfo> store) {
    this.store = store;
  }

  /** The hop id of a packet: {@code node/pod/iface} or {@code node/iface}. */
  static String hopId(PacketSummary p) {
    return io.hoptrace.contract.HopId.format(p.getNode(), p.getPod(), p.getIface());
  }

  private void loadHops() {
    if (hopsLoaded) {
      return;
    }
    hopsLoaded = true;
    store.forEach((k, h) -> addKnownHop(h));
  }

  private void addKnownHop(HopInfo h) {
    if (knownHops.add(h.hop())) {
      hopsByNode.computeIfAbsent(h.node(), n -> new ArrayList<>()).add(h);
      version++;
    }
  }

  /** Records a hop packets were seen on (once per hop and store). */
  void register(String hop, PacketSummary p) {
    register(hop, p.getNode(), p.getPod(), p.getRole());
  }

  /** Records a hop packets were seen on (once per hop and store). */
  void register(String hop, String node, String pod, io.hoptrace.schema.InterfaceRole role) {
    loadHops();
    if (!knownHops.contains(hop)) {
      HopInfo h = new HopInfo(hop, node, pod, role);
      store.put(hop, h);
      addKnownHop(h);
    }
  }

  /** Changes whenever a hop is added (what {@link #hopsOf} answers may then differ). */
  long version() {
    loadHops();
    return version;
  }

  /** The hops seen on a node, or null. */
  List<HopInfo> hopsOf(String node) {
    loadHops();
    return hopsByNode.get(node);
  }
}
