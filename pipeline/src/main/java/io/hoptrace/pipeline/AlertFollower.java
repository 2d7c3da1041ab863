package io.hoptrace.pipeline;

import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.KafkaClientSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Follows a running job's alerts topic ({@code read_committed}), as {@code run} does for the
 * terminal and the alert sinks: first reads what the topic holds to learn which alerts are firing
 * now (the last record of their id is FIRING) and hands them over once, then hands over every new
 * record as the job commits it, on a thread of its own.
 */
public final class AlertFollower implements AutoCloseable {
  private final Follower<Alert> follower;

  private AlertFollower(Follower<Alert> follower) {
    this.follower = follower;
  }

  /**
   * Reads {@code topic} to its end, calls {@code firingNow} with the alerts firing at that point
   * (in first-seen order), then follows the topic, calling {@code onNew} per record.
   *
   * @param timeout how long reading the existing records may take
   */
  public static AlertFollower start(
      KafkaClientSettings kafka,
      String topic,
      Duration timeout,
      Consumer<List<Alert>> firingNow,
      Consumer<Alert> onNew) {
    TopicTail<Alert> tail = new TopicTail<>(kafka, topic, AvroSerde.alert()::decode);
    try {
      firingNow.accept(
          firing(tail.readToEnd(timeout).stream().map(TopicTail.Item::value).toList()));
    } catch (RuntimeException e) {
      tail.close();
      throw e;
    }
    return new AlertFollower(Follower.start(tail, onNew, "hoptrace-alerts-follow"));
  }

  /** Each alert id's last record, in the order the ids first appear. */
  public static List<Alert> lastStates(List<Alert> records) {
    Map<String, Alert> last = new LinkedHashMap<>();
    for (Alert a : records) {
      last.put(a.getId(), a);
    }
    return new ArrayList<>(last.values());
  }

  /** The alerts whose last record is FIRING, in the order they first appear. */
  static List<Alert> firing(List<Alert> records) {
    List<Alert> out = new ArrayList<>();
    for (Alert a : lastStates(records)) {
      if (a.getStatus() == AlertStatus.FIRING) {
        out.add(a);
      }
    }
    return out;
  }

  /**
   * Reads {@code topic} to its end and returns each alert's last state (in first-seen order); with
   * {@code onNew}, then follows the topic on a thread of its own, calling it per new record, until
   * the returned follower is closed.
   */
  public static Snapshot read(
      KafkaClientSettings kafka, String topic, Duration timeout, Consumer<Alert> onNew) {
    TopicTail<Alert> tail = new TopicTail<>(kafka, topic, AvroSerde.alert()::decode);
    List<Alert> last;
    try {
      last = lastStates(tail.readToEnd(timeout).stream().map(TopicTail.Item::value).toList());
    } catch (RuntimeException e) {
      tail.close();
      throw e;
    }
    if (onNew == null) {
      tail.close();
      return new Snapshot(last, null);
    }
    return new Snapshot(
        last, new AlertFollower(Follower.start(tail, onNew, "hoptrace-alerts-follow")));
  }

  /** What {@link #read} found, and the follower (null when not following). */
  public record Snapshot(List<Alert> lastStates, AlertFollower follower) {}

  @Override
  public void close() {
    follower.close();
  }
}
