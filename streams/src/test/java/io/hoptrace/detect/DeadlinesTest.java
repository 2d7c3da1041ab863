package io.hoptrace.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.detect.state.InMemoryStateStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
  private final InMemoryStateStore<String, Long> byId =
      new InMemoryStateStore<>(Codecs.longValue());
  private final InMemoryStateStore<String, Long> byDue =
      new InMemoryStateStore<>(Codecs.longValue());
  private final Deadlines deadlines = new Deadlines(byId, byDue);

  private List<String> due(long limit) {
    List<String> out = new ArrayList<>();
    deadlines.forEachDue(limit, (id, dl) -> out.add(id + "@" + dl));
    return out;
  }

  @Test
  void visitsOnlyDueDeadlinesInOrderOfTimeThenId() {
    deadlines.put("b", 20L);
    deadlines.put("a", 20L);
    deadlines.put("c", 5L);
    deadlines.put("neg", -7L);
    deadlines.put("late", 1_700_000_000_000_000_000L);
    assertThat(due(20)).containsExactly("neg@-7", "c@5", "a@20", "b@20");
    assertThat(due(4)).containsExactly("neg@-7");
  }

  @Test
  void movingOrDeletingADeadlineLeavesOneIndexEntry() {
    deadlines.put("a", 10L);
    assertThat(due(100)).containsExactly("a@10");
    deadlines.put("a", 30L);
    deadlines.put("a", 30L);
    assertThat(due(100)).containsExactly("a@30");
    assertThat(byDue.size()).isEqualTo(1);
    deadlines.put("b", 2L); // below the floor the last scan found
    assertThat(due(100)).containsExactly("b@2", "a@30");
    deadlines.delete("a");
    deadlines.delete("missing");
    assertThat(due(100)).containsExactly("b@2");
    deadlines.delete("b");
    assertThat(due(Long.MAX_VALUE)).isEmpty();
    assertThat(byDue.size()).isZero();
    assertThat(byId.size()).isZero();
    deadlines.put("c", 1L); // after a scan of an empty index
    assertThat(due(1)).containsExactly("c@1");
  }

  @Test
  void aNewInstanceOverTheSameStoresSeesEveryDeadline() {
    deadlines.put("a", 50L);
    assertThat(due(100)).containsExactly("a@50");
    deadlines.put("b", 7L);
    Deadlines restarted = new Deadlines(byId, byDue);
    List<String> out = new ArrayList<>();
    restarted.forEachDue(100, (id, dl) -> out.add(id));
    assertThat(out).containsExactly("b", "a");
  }
}
