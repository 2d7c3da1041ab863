package io.hoptrace.pipeline;

import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a running job's alerts topic ({@code read_committed}), as {@code run} does for the
 * terminal and the alert sinks: first reads what the topic holds to learn which alerts are firing
 * now (the last record of their id is FIRING) and hands them over once, then hands over every new
 * record as the job commits it, on a thread of its own.
 */
public final class AlertFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertFollower.class);

  private final TopicTail<Alert> tail;
  private final Thread reader;

  private AlertFollower(TopicTail<Alert> tail, Consumer<Alert> onNew) {
    this.tail = tail;
    this.reader =
        new Thread(
            () -> {
              try {
                while (true) {
                  for (var item : tail.poll(Duration.ofMillis(200))) {
                    onNew.accept(item.value());
                  }
                }
              } catch (WakeupException | InterruptException e) {
                // stopping
              } catch (RuntimeException e) {
                LOG.warn("following the alerts stopped: {}", e.toString());
              } finally {
                tail.close();
              }
            },
            "hoptrace-alerts-follow");
    reader.setDaemon(true);
  }

  /**
   * Reads {@code topic} to its end, calls {@code firingNow} with the alerts firing at that point
   * (in first-seen order), then follows the topic, calling {@code onNew} per record.
   *
   * @param timeout how long reading the existing records may take
   */
  public static AlertFollower start(
      String bootstrapServers,
      String topic,
      Duration timeout,
      Consumer<List<Alert>> firingNow,
      Consumer<Alert> onNew) {
    TopicTail<Alert> tail = new TopicTail<>(bootstrapServers, topic, AvroSerde.alert()::decode);
    try {
      firingNow.accept(
          firing(tail.readToEnd(timeout).stream().map(TopicTail.Item::value).toList()));
    } catch (RuntimeException e) {
      tail.close();
      throw e;
    }
    return follow(tail, onNew);
  }

  /** Calls {@code onNew} for every record {@code tail} reads from its position on. */
  static AlertFollower follow(TopicTail<Alert> tail, Consumer<Alert> onNew) {
    AlertFollower f = new AlertFollower(tail, onNew);
    f.reader.start();
    return f;
  }

  /** The alerts whose last record is FIRING, in the order they first appear. */
  static List<Alert> firing(List<Alert> records) {
    Map<String, Alert> last = new LinkedHashMap<>();
    for (Alert a : records) {
      last.put(a.getId(), a);
    }
    List<Alert> out = new ArrayList<>();
    for (Alert a : last.values()) {
      if (a.getStatus() == AlertStatus.FIRING) {
        out.add(a);
      }
    }
    return out;
  }

  @Override
  public void close() {
    tail.wakeup();
    try {
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
