package io.hoptrace.detect;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.lab.CoreHarness;
import io.hoptrace.lab.Lab;
import io.hoptrace.lab.Scenarios;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The deadline index and the conversations' own deadlines never drift apart. */
class DeadlineIndexTest {

  private static void assertOneIndexEntryPerConversation(CoreHarness h) {
    Map<String, Long> held = new HashMap<>();
    h.stores().conversations().forEach((id, c) -> held.put(id, c.deadline));
    Map<String, Long> indexed = new HashMap<>();
    h.stores()
        .deadlines()
        .forEach(
            (id, dl) -> assertThat(indexed.put(id, dl)).as("one index entry for %s", id).isNull());
    assertThat(indexed).isEqualTo(held);
  }

  @Test
  void indexHoldsExactlyEachStoredConversationsDeadline() {
    Lab lab = new Lab();
    try (CoreHarness h =
        new CoreHarness(DetectionConfig.defaults(), FlowStores.inMemoryObjects())) {
      h.nodes(Lab.inventory());
      Scenarios.healthy(
          h, lab, 41000, 0.0); // includes a NAT-ed ClusterIP call: conversations merge
      Scenarios.dualIp(h, lab, 0.5);
      h.send(lab.over(dnsQuery(POD_A, 33000, "10.244.1.10", 7), sec(0.7), A_TO_B.subList(0, 5)));
      assertOneIndexEntryPerConversation(h);
      h.idle(3_000_000_000L); // some conversations are due, some expire
      assertOneIndexEntryPerConversation(h);
      h.idle(600_000_000_000L); // all expire
      assertOneIndexEntryPerConversation(h);
      int[] left = {0};
      h.stores().deadlines().forEach((id, dl) -> left[0]++);
      assertThat(left[0]).isZero();
    }
  }
}
