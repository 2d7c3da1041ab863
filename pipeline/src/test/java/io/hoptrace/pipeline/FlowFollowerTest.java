package io.hoptrace.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.LostAt;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The follower's hold-back: a faulty flow record waits for its alert, within a grace period. */
class FlowFollowerTest {
  private static final LostAt AT = new LostAt("node-b/ens33", "node-b/flannel.1", "forward");

  private static FlowRecord flow(String id, String verdict) {
    return FlowRecord.newBuilder()
        .setConversationId(id)
        .setTuples(List.of())
        .setFirstSeen(1)
        .setLastSeen(2)
        .setVerdict(verdict)
        .build();
  }

  private final ArrayDeque<FlowFollower.Held> held = new ArrayDeque<>();
  private final Map<String, LostAt> lostAt = new HashMap<>();
  private final Map<String, FlowRecord> printedWithout = new HashMap<>();
  private final List<FlowFollower.Flow> printed = new ArrayList<>();

  private void release(long now) {
    FlowFollower.release(held, lostAt, printedWithout, printed::add, now);
  }

  @Test
  void aFaultyFlowWaitsForItsAlertAndThenCarriesItsLostAt() {
    held.add(new FlowFollower.Held(flow("c1", "ONE_WAY"), 1_000));
    release(10);
    assertThat(printed).isEmpty();
    lostAt.put("c1", AT);
    release(20);
    assertThat(printed).singleElement().satisfies(f -> assertThat(f.lostAt()).isEqualTo(AT));
    assertThat(held).isEmpty();
  }

  @Test
  void aFaultyFlowWithoutAlertIsPrintedWhenTheGracePasses() {
    held.add(new FlowFollower.Held(flow("c1", "ONE_WAY"), 1_000));
    release(999);
    assertThat(printed).isEmpty();
    release(1_000);
    assertThat(printed).singleElement().satisfies(f -> assertThat(f.lostAt()).isNull());
    // remembered, so that the follower prints it again with the lost-at once the alert comes
    assertThat(printedWithout).containsOnlyKeys("c1");
  }

  @Test
  void healthyFlowsAreNotHeldButKeepTheCommitOrder() {
    held.add(new FlowFollower.Held(flow("c1", "ONE_WAY"), 1_000));
    held.add(new FlowFollower.Held(flow("c2", "OK"), 1_000));
    release(10);
    assertThat(printed).isEmpty(); // c2 behind the held c1
    lostAt.put("c1", AT);
    release(11);
    assertThat(printed).extracting(f -> f.record().getConversationId()).containsExactly("c1", "c2");
  }
}
