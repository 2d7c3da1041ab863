package io.hoptrace.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A conversation's life in time: when it next needs attention (its deadline, through the {@link
 * Timers} port), stepping it through its deadlines when its timer fires, and its end after {@code
 * flow.idle.timeout.ms} without packets (or {@code flow.close.linger.ms} after FIN/RST).
 */
final class ConversationLifecycle {
  /** Judges a conversation at an event time ({@code fin}: for the last time). */
  interface Evaluator {
    void evaluate(Conversation c, long t, boolean fin);
  }

  /** The earliest time after t the core or a detector needs a conversation. */
  interface NextDeadline {
    long after(Conversation c, long t);
  }

  private final FlowStores stores;
  private final Timers timers;
  private final long idleNs;
  private final long lingerNs;
  private final Evaluator evaluator;
  private final NextDeadline nextDeadline;
  private final Consumer<Conversation> ended;
  private final Consumer<String> count;

  /**
   * @param nextDeadline the earliest time after t the core or a detector needs the conversation
   * @param ended the conversation ends: resolve and flush what is reported about it
   */
  ConversationLifecycle(
      DetectionConfig cfg,
      FlowStores stores,
      Timers timers,
      Evaluator evaluator,
      NextDeadline nextDeadline,
      Consumer<Conversation> ended,
      Consumer<String> count) {
    this.stores = stores;
    this.timers = timers;
    this.idleNs = cfg.nanos(DetectionConfig.FLOW_IDLE_TIMEOUT_MS);
    this.lingerNs = cfg.nanos(DetectionConfig.FLOW_CLOSE_LINGER_MS);
    this.evaluator = evaluator;
    this.nextDeadline = nextDeadline;
    this.ended = ended;
    this.count = count;
  }

  /**
   * The timer of conversation {@code id} fired and event time is {@code now}: steps it through each
   * of its deadlines up to now, so a large jump (end of input) gives the same result as a slow
   * clock. A timer of a conversation that is gone is cancelled.
   */
  void fire(String id, long at, long now) {
    Conversation c = stores.conversations().get(id);
    if (c == null) {
      timers.cancel(id, at);
      return;
    }
    boolean expired = false;
    for (int i = 0; i < 64 && c.deadline <= now && !expired; i++) {
      long t = Math.max(c.deadline, c.lastSeen);
      t = Math.min(t, now);
      expired = step(c, t);
    }
    if (!expired) {
      stores.conversations().put(c.id, c);
    }
  }

  private long expiryOf(Conversation c) {
    if (c.closedTs >= 0) {
      return Math.max(c.lastSeen, c.closedTs) + lingerNs;
    }
    return c.lastSeen + idleNs;
  }

  private boolean step(Conversation c, long t) {
    boolean fin = t >= expiryOf(c);
    evaluator.evaluate(c, t, fin);
    if (fin) {
      expire(c);
      return true;
    }
    schedule(c, t);
    return false;
  }

  private void expire(Conversation c) {
    ended.accept(c);
    for (TupleInfo tu : c.tuples) {
      if (!tu.key.equals(c.id)) {
        stores.aliases().delete(tu.key);
      }
    }
    stores.conversations().delete(c.id);
    timers.cancel(c.id, c.deadline);
    count.accept("conversations.ended");
  }

  /**
   * Sets the timer of every stored conversation at its deadline again, for hosts whose timers are
   * derived state rebuilt at start (not restored with the conversations).
   *
   * @return the number of timers set
   */
  int restoreTimers() {
    List<Conversation> waiting = new ArrayList<>();
    stores
        .conversations()
        .forEach(
            (id, c) -> {
              if (c.deadline != Deadlines.NONE) {
                waiting.add(c);
              }
            });
    for (Conversation c : waiting) {
      timers.wake(c.id, Deadlines.NONE, c.deadline);
    }
    return waiting.size();
  }

  /** Moves the conversation's timer to the earliest time after t it needs attention. */
  void schedule(Conversation c, long t) {
    long dl = Math.min(expiryOf(c), nextDeadline.after(c, t));
    dl = Math.max(dl, t + 1);
    if (dl != c.deadline) {
      timers.wake(c.id, c.deadline, dl);
      c.deadline = dl;
    }
  }
}
