package io.hoptrace.pipeline;

import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.LostAt;
import io.hoptrace.schema.Topics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running job's flows from its {@code flows} topic ({@code read_committed}), each with the
 * lost-at segment of the newest alert about its conversation (from the {@code alerts} topic), as
 * the flow store's {@code flows} view joins them: first each conversation's last flow record, then
 * (when following) every new flow record as the job commits it.
 *
 * <p>Following, one thread reads both topics. A flow record is written by the conversation stage
 * and its alert by the alert stage after a repartition, so the alert can be committed a commit
 * interval or more <em>after</em> the flow record that shows the fault. A new flow record whose
 * verdict is not {@code OK} and whose conversation has no alert yet is therefore held back until
 * its alert arrives or {@link #ALERT_GRACE} passes (then it is printed without a lost-at); records
 * are printed in the order they were committed. A faulty record printed without its lost-at (its
 * alert came later than the grace, or after the topics were first read) is printed again, with it,
 * when the alert arrives: each line is the flow as it then stood, like the flow store's view.
 */
public final class FlowFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FlowFollower.class);

  /** How long a faulty flow record waits for its conversation's alert before it is printed. */
  public static final Duration ALERT_GRACE = Duration.ofSeconds(15);

  /** A flow record and the lost-at of the newest alert about its conversation (or null). */
  public record Flow(FlowRecord record, LostAt lostAt) {}

  /** What {@link #read} found, and the follower (null when not following). */
  public record Snapshot(List<Flow> lastRecords, FlowFollower follower) {}

  /** At most this many conversations' records printed without a lost-at are remembered. */
  static final int MAX_PRINTED_WITHOUT = 10_000;

  /** Faulty flow records printed without a lost-at, by conversation, the oldest forgotten first. */
  private final Map<String, FlowRecord> printedWithout =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FlowRecord> eldest) {
          return size() > MAX_PRINTED_WITHOUT;
        }
      };

  private final TopicTail<Alert> alertTail;
  private final TopicTail<FlowRecord> flowTail;
  private final Thread reader;

  private FlowFollower(
      TopicTail<Alert> alertTail,
      TopicTail<FlowRecord> flowTail,
      Map<String, LostAt> lostAt,
      Consumer<Flow> onNew) {
    this.alertTail = alertTail;
    this.flowTail = flowTail;
    this.reader =
        new Thread(() -> follow(lostAt, onNew, ALERT_GRACE.toNanos()), "hoptrace-flows-follow");
    reader.setDaemon(true);
  }

  /**
   * Reads both topics to their end; with {@code onNew}, then follows them until the follower is
   * closed.
   */
  public static Snapshot read(
      KafkaClientSettings kafka, Topics topics, Duration timeout, Consumer<Flow> onNew) {
    Map<String, LostAt> lostAt = new HashMap<>();
    TopicTail<Alert> alertTail = new TopicTail<>(kafka, topics.alerts(), AvroSerde.alert()::decode);
    TopicTail<FlowRecord> flowTail = null;
    try {
      alertTail.readToEnd(timeout).forEach(i -> note(lostAt, i.value()));
      flowTail = new TopicTail<>(kafka, topics.flows(), AvroSerde.flowRecord()::decode);
      Map<String, FlowRecord> last = new LinkedHashMap<>();
      flowTail.readToEnd(timeout).forEach(i -> last.put(i.value().getConversationId(), i.value()));
      List<Flow> out = new ArrayList<>();
      last.values().forEach(f -> out.add(new Flow(f, lostAt.get(f.getConversationId()))));
      if (onNew == null) {
        alertTail.close();
        flowTail.close();
        return new Snapshot(out, null);
      }
      FlowFollower follower = new FlowFollower(alertTail, flowTail, lostAt, onNew);
      // their alert may not have been committed when the alerts topic was read
      out.stream()
          .filter(f -> f.lostAt() == null && !"OK".equals(f.record().getVerdict()))
          .forEach(f -> follower.printedWithout.put(f.record().getConversationId(), f.record()));
      follower.reader.start();
      return new Snapshot(out, follower);
    } catch (RuntimeException e) {
      alertTail.close();
      if (flowTail != null) {
        flowTail.close();
      }
      throw e;
    }
  }

  /** A flow record waiting for its alert until {@code until} (System.nanoTime). */
  record Held(FlowRecord record, long until) {}

  private void follow(Map<String, LostAt> lostAt, Consumer<Flow> onNew, long graceNanos) {
    ArrayDeque<Held> held = new ArrayDeque<>();
    try {
      while (true) {
        for (var item : alertTail.poll(Duration.ofMillis(100))) {
          String id = note(lostAt, item.value());
          FlowRecord without = id == null ? null : printedWithout.remove(id);
          if (without != null) {
            onNew.accept(new Flow(without, lostAt.get(id)));
          }
        }
        long now = System.nanoTime();
        for (var item : flowTail.poll(Duration.ofMillis(100))) {
          held.add(new Held(item.value(), now + graceNanos));
        }
        release(held, lostAt, printedWithout, onNew, System.nanoTime());
      }
    } catch (WakeupException | InterruptException e) {
      // stopping
    } catch (RuntimeException e) {
      LOG.warn("following flows stopped: {}", e.toString());
    } finally {
      alertTail.close();
      flowTail.close();
    }
  }

  /**
   * Prints held records from the oldest on while each is ready (see the class comment); a faulty
   * one printed without its lost-at is remembered in {@code printedWithout} by conversation.
   */
  static void release(
      ArrayDeque<Held> held,
      Map<String, LostAt> lostAt,
      Map<String, FlowRecord> printedWithout,
      Consumer<Flow> onNew,
      long now) {
    while (!held.isEmpty()) {
      Held h = held.peek();
      String id = h.record().getConversationId();
      LostAt at = lostAt.get(id);
      boolean ok = "OK".equals(h.record().getVerdict());
      if (at == null && !ok && now - h.until() < 0) {
        return;
      }
      held.poll();
      if (at == null && !ok) {
        printedWithout.put(id, h.record());
      } else {
        printedWithout.remove(id);
      }
      onNew.accept(new Flow(h.record(), at));
    }
  }

  /** Notes an alert's lost-at; returns its conversation id when it has both, else null. */
  private static String note(Map<String, LostAt> lostAt, Alert a) {
    String id = a.getSubject() == null ? null : a.getSubject().getConversationId();
    if (id != null && a.getLostAt() != null) {
      lostAt.put(id, a.getLostAt());
      return id;
    }
    return null;
  }

  /** Stops the reading thread (waits up to 5 s for it). */
  @Override
  public void close() {
    alertTail.wakeup();
    flowTail.wakeup();
    try {
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
