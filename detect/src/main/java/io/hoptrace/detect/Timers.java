package io.hoptrace.detect;

/**
 * Timer port of the core: the core asks the host to wake one conversation at an event time; the
 * host calls {@link FlowDetector#onTimer} for it once its event time reached that instant. Per key,
 * so a host can map it onto a keyed timer service (Flink's {@code TimerService}) or onto an index
 * it scans itself ({@link DeadlineTimers}, the Kafka Streams host and the in-process hosts).
 *
 * <p>The core keeps each conversation's current deadline in its own state and names it when it
 * moves or cancels the timer, so a host needs no second copy. A host may deliver a timer that was
 * moved meanwhile (stale): the core ignores timers of conversations not yet due.
 */
public interface Timers {
  /** Wakes conversation {@code id} at {@code at} instead of {@code previous} ({@code -1}: none). */
  void wake(String id, long previous, long at);

  /** Cancels the timer {@code at} of conversation {@code id} ({@code -1}: none). */
  void cancel(String id, long at);
}
