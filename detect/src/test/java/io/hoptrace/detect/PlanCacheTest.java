package io.hoptrace.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.schema.InterfaceRole;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A cached plan is exactly what planning afresh gives, after every change a plan reads: a new hop,
 * a first-seen time that reorders hops, a flipped direction, a new tuple (NAT), a hop newly known
 * to the registry, another inventory.
 */
class PlanCacheTest {
  private final Map<String, List<HopInfo>> known = new HashMap<>();
  private long registryVersion;

  private PathPlanner cached(InventoryIndex inv) {
    return new PathPlanner(inv, known::get, registryVersion);
  }

  private static PathPlanner fresh(InventoryIndex inv, Map<String, List<HopInfo>> known) {
    return new PathPlanner(inv, known::get);
  }

  private static TupleInfo tuple(String src, int sport, String dst, int dport) {
    TupleInfo t = new TupleInfo();
    t.proto = 6;
    t.ipVersion = 4;
    t.src = src;
    t.sport = sport;
    t.dst = dst;
    t.dport = dport;
    t.key = "6|" + src + "|" + sport + "|" + dst + "|" + dport;
    return t;
  }

  private static HopSlot slot(String node, String iface, InterfaceRole role, long first0) {
    HopSlot s = new HopSlot(node + "/" + iface, node, null, role, 0);
    s.dir[0].firstTs = first0;
    return s;
  }

  private void assertSame(Conversation c, InventoryIndex inv) {
    for (int d = 0; d < 2; d++) {
      List<PathPlanner.PathHop> want = fresh(inv, known).plan(c, d);
      assertThat(cached(inv).plan(c, d)).as("direction %d", d).isEqualTo(want);
      assertThat(cached(inv).plan(c, d)).as("direction %d, asked again", d).isEqualTo(want);
    }
  }

  @Test
  void aCachedPlanFollowsEveryInputItReads() {
    InventoryIndex inv = InventoryIndex.EMPTY;
    Conversation c = new Conversation();
    c.tuples.add(tuple("10.244.0.2", 40000, "10.244.1.3", 80));
    c.slots.add(slot("node-a", "veth1", InterfaceRole.VETH, 100));
    assertSame(c, inv);

    // a hop seen earlier than the one planned first: the order changes
    c.slots.add(slot("node-a", "eth0", InterfaceRole.POD, 50));
    assertSame(c, inv);
    List<PathPlanner.PathHop> before = cached(inv).plan(c, 0);
    c.slots.get(1).dir[0].firstTs = 200;
    c.slots.get(0).role = InterfaceRole.POD;
    c.slots.get(1).role = InterfaceRole.VETH;
    assertSame(c, inv);
    assertThat(cached(inv).plan(c, 0)).isNotEqualTo(before);

    // the other direction's first sighting, and a slot's directions swapped
    c.slots.get(0).dir[1].firstTs = 300;
    assertSame(c, inv);
    c.slots.get(1).flip();
    assertSame(c, inv);

    // a second tuple (NAT) with a hop on another node, and the tuple flipped
    TupleInfo nat = tuple("10.244.0.2", 40000, "10.96.0.10", 80);
    c.tuples.add(nat);
    HopSlot far = slot("node-b", "eth0", InterfaceRole.UPLINK, 400);
    far.tuple = 1;
    c.slots.add(far);
    assertSame(c, inv);
    nat.flip();
    assertSame(c, inv);

    // an outer address naming an unknown end's node
    c.slots.get(2).dir[0].outerDst = "192.168.1.2";
    assertSame(c, inv);

    // a hop newly known on node-b is a candidate hop of the path
    known
        .computeIfAbsent("node-b", n -> new ArrayList<>())
        .add(new HopInfo("node-b/ens33", "node-b", null, InterfaceRole.UPLINK));
    registryVersion++;
    assertSame(c, inv);
  }
}
