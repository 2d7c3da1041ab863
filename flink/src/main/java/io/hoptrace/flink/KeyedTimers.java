package io.hoptrace.flink;

import io.hoptrace.detect.DeadlineTimers;
import io.hoptrace.detect.Deadlines;
import io.hoptrace.detect.EventClock;
import io.hoptrace.detect.FlowDetector;
import io.hoptrace.detect.Timers;
import io.hoptrace.detect.state.StateStore;
import org.apache.flink.streaming.api.TimerService;

/**
 * The core's {@link Timers} port on Flink's keyed {@link TimerService}. The conversations of the
 * current key and their deadlines are the key's {@link Deadlines} index (keyed state); each wake-up
 * registers an event-time timer (the watermark passes the deadline) and a processing-time timer
 * (the wall-clock extrapolation of a silent input passes it, so a silent flow still ends and
 * alerts), both rounded up to the tick. When one fires, {@link #fireDue} wakes the key's due
 * conversations in order of (deadline, id), as {@link DeadlineTimers} does. Stale Flink timers (the
 * deadline moved) find nothing due.
 */
final class KeyedTimers implements Timers {
  private final StateStore<String, Long> index;
  private final Ticks ticks;
  private final EventClock clock;
  private TimerService service;

  /**
   * @param index the current key's deadline index (keyed state)
   * @param clock the subtask's event clock (wall-clock extrapolation of event time)
   */
  KeyedTimers(StateStore<String, Long> index, Ticks ticks, EventClock clock) {
    this.index = index;
    this.ticks = ticks;
    this.clock = clock;
  }

  /** The timer service of the call in progress (a Flink context is valid for one call). */
  void bind(TimerService service) {
    this.service = service;
  }

  /**
   * A fresh view of the key's index: {@link Deadlines} keeps a scan floor in memory, which must not
   * carry over from one key to the next.
   */
  private Deadlines deadlines() {
    return new Deadlines(index);
  }

  @Override
  public void wake(String id, long previous, long at) {
    deadlines().move(id, previous, at);
    // a deadline the watermark already passed waits for the next tick of it, as a Kafka Streams
    // task's deadlines wait for its next punctuation: the core steps a woken conversation through
    // at most a bounded number of its deadlines per wake-up, and a timer behind the watermark
    // would fire again at once, stepping without end when a deadline keeps trailing event time
    long watermark = service.currentWatermark();
    long timer = ticks.ceilNanos(at);
    service.registerEventTimeTimer(timer > watermark ? timer : ticks.ceil(watermark + 1));
    wallTimer(at);
  }

  /**
   * A processing-time timer for when the wall-clock extrapolation reaches {@code at} should the
   * input go silent now ({@link EventClock#wallWhen}).
   */
  private void wallTimer(long at) {
    long wall = service.currentProcessingTime();
    long when = clock.wallWhen(at);
    long ms = when == Long.MIN_VALUE ? wall : Math.max(wall, when / 1_000_000L);
    service.registerProcessingTimeTimer(ticks.ceil(ms + 1));
  }

  /**
   * After a processing-time timer: sets the next one for the key's earliest deadline. One that
   * fired while records still arrived did nothing (the watermark is the time then); should the
   * input go silent before the watermark reaches that deadline, this timer still wakes the key.
   */
  void rearm() {
    long[] earliest = {Long.MAX_VALUE};
    deadlines().forEach((id, at) -> earliest[0] = Math.min(earliest[0], at));
    if (earliest[0] != Long.MAX_VALUE) {
      wallTimer(earliest[0]);
    }
  }

  @Override
  public void cancel(String id, long at) {
    deadlines().delete(id, at);
  }

  /** Wakes every conversation of the current key due at {@code limit} (ns). */
  void fireDue(long limit, FlowDetector core) {
    new DeadlineTimers(deadlines()).fireDue(limit, core);
  }
}
