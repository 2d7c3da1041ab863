package io.hoptrace.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.detect.state.InMemoryStateStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
  private final InMemoryStateStore<String, Long> byDue =
      new InMemoryStateStore<>(Codecs.longValue());
  private final Deadlines deadlines = new Deadlines(byDue);
  // what each conversation holds as its own deadline (Conversation.deadline)
  private final java.util.Map<String, Long> held = new java.util.HashMap<>();

  private void put(String id, long deadline) {
    deadlines.move(id, held.getOrDefault(id, Deadlines.NONE), deadline);
    held.put(id, deadline);
  }

  private void delete(String id) {
    Long old = held.remove(id);
    deadlines.delete(id, old == null ? Deadlines.NONE : old);
  }

  private List<String> due(long limit) {
    List<String> out = new ArrayList<>();
    deadlines.forEachDue(limit, (id, dl) -> out.add(id + "@" + dl));
    return out;
  }

  @Test
  void visitsOnlyDueDeadlinesInOrderOfTimeThenId() {
    put("b", 20L);
    put("a", 20L);
    put("c", 5L);
    put("neg", -7L);
    put("late", 1_700_000_000_000_000_000L);
    assertThat(due(20)).containsExactly("neg@-7", "c@5", "a@20", "b@20");
    assertThat(due(4)).containsExactly("neg@-7");
  }

  @Test
  void movingOrDeletingADeadlineLeavesOneIndexEntry() {
    put("a", 10L);
    assertThat(due(100)).containsExactly("a@10");
    put("a", 30L);
    put("a", 30L);
    assertThat(due(100)).containsExactly("a@30");
    assertThat(byDue.size()).isEqualTo(1);
    put("b", 2L); // below the floor the last scan found
    assertThat(due(100)).containsExactly("b@2", "a@30");
    delete("a");
    delete("missing");
    assertThat(due(100)).containsExactly("b@2");
    delete("b");
    assertThat(due(Long.MAX_VALUE)).isEmpty();
    assertThat(byDue.size()).isZero();
    put("c", 1L); // after a scan of an empty index
    assertThat(due(1)).containsExactly("c@1");
  }

  @Test
  void aNewInstanceOverTheSameStoresSeesEveryDeadline() {
    put("a", 50L);
    assertThat(due(100)).containsExactly("a@50");
    put("b", 7L);
    Deadlines restarted = new Deadlines(byDue);
    List<String> out = new ArrayList<>();
    restarted.forEachDue(100, (id, dl) -> out.add(id));
    assertThat(out).containsExactly("b", "a");
  }
}
