package io.hoptrace.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link Timers} over a {@link Deadlines} index in the host's state store: what the Kafka Streams
 * host and the in-process hosts use. {@link #fireDue} is the host's side: at a punctuation it reads
 * the due entries and fires them, in order of (deadline, conversation id), one {@link
 * FlowDetector#onTimer} call each.
 */
public final class DeadlineTimers implements Timers {
  private final Deadlines deadlines;

  public DeadlineTimers(Deadlines deadlines) {
    this.deadlines = deadlines;
  }

  @Override
  public void wake(String id, long previous, long at) {
    deadlines.move(id, previous, at);
  }

  @Override
  public void cancel(String id, long at) {
    deadlines.delete(id, at);
  }

  /** Fires every timer due at {@code now} (ns) on {@code core}, in order of (deadline, id). */
  public void fireDue(long now, FlowDetector core) {
    if (now == Long.MIN_VALUE) {
      return;
    }
    List<Map.Entry<String, Long>> due = new ArrayList<>();
    deadlines.forEachDue(
        now,
        (id, dl) -> {
          if (dl <= now) {
            due.add(Map.entry(id, dl));
          }
        });
    due.sort(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
    for (Map.Entry<String, Long> e : due) {
      core.onTimer(e.getKey(), e.getValue());
    }
  }
}
