package io.hoptrace.detect;

import io.hoptrace.detect.state.StateStore;
import java.util.function.BiConsumer;

/**
 * When each conversation next needs attention, indexed by that time so a punctuation reads only the
 * conversations that are due instead of every stored deadline.
 *
 * <p>One store: the index, keyed by the deadline as 16 hex digits (sign bit flipped, so the text
 * order of keys is the numeric order of deadlines, negative ones included) followed by the
 * conversation id. The conversation's current deadline is part of its own state ({@code
 * Conversation.deadline}), so a caller moving or removing one names the deadline it had: nothing is
 * stored twice. {@link #forEachDue} scans the index from its start and stops at the first entry
 * that is not due.
 *
 * <p>A scan starts at a floor, a lower bound of every stored deadline kept in memory (the smallest
 * deadline the last scan found, lowered by every put; unknown after a restart). Entries are deleted
 * as conversations move on, and a store such as RocksDB would otherwise step over every deletion
 * marker at the start of the index on each punctuation. The floor is only a hint: it never excludes
 * a stored deadline, so the entries visited are the same.
 */
public final class Deadlines {
  /** "No deadline", as {@code Conversation.deadline} holds it. */
  public static final long NONE = -1;

  private static final int PREFIX = 16;

  private final StateStore<String, Long> byDue;
  private long floor;
  private boolean floorKnown;

  /**
   * @param byDue the index; must be sorted by key for {@link #forEachDue} to read only due entries
   */
  public Deadlines(StateStore<String, Long> byDue) {
    this.byDue = byDue;
  }

  static String indexKey(long deadline, String id) {
    String hex = Long.toHexString(deadline ^ Long.MIN_VALUE);
    StringBuilder b = new StringBuilder(PREFIX + id.length());
    for (int i = hex.length(); i < PREFIX; i++) {
      b.append('0');
    }
    return b.append(hex).append(id).toString();
  }

  /**
   * Moves the deadline of {@code id} from {@code previous} ({@link #NONE} if it had none) to {@code
   * deadline}.
   */
  public void move(String id, long previous, long deadline) {
    if (previous == deadline) {
      return;
    }
    if (previous != NONE) {
      byDue.delete(indexKey(previous, id));
    }
    byDue.put(indexKey(deadline, id), deadline);
    floor = Math.min(floor, deadline);
  }

  /** Removes the deadline {@code previous} of {@code id} (nothing when {@link #NONE}). */
  public void delete(String id, long previous) {
    if (previous != NONE) {
      byDue.delete(indexKey(previous, id));
    }
  }

  /**
   * Visits every conversation whose deadline is at most {@code limit}, in order of (deadline, id).
   * The visitor must not change deadlines; collect and act afterwards.
   */
  public void forEachDue(long limit, BiConsumer<String, Long> visitor) {
    boolean[] first = {true};
    byDue.scan(
        floorKnown ? indexKey(floor, "") : null,
        (k, dl) -> {
          if (first[0]) {
            first[0] = false;
            floor = dl;
            floorKnown = true;
          }
          if (dl > limit) {
            return false;
          }
          visitor.accept(k.substring(PREFIX), dl);
          return true;
        });
    if (first[0]) {
      // nothing stored from the floor on: every later deadline comes through move
      floor = Long.MAX_VALUE;
      floorKnown = true;
    }
  }

  /** Visits every deadline (for tests and tools). */
  public void forEach(BiConsumer<String, Long> visitor) {
    byDue.forEach((k, dl) -> visitor.accept(k.substring(PREFIX), dl));
  }
}
