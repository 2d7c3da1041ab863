package io.hoptrace.pipeline;

import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.LostAt;
import io.hoptrace.schema.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A running job's flows from its {@code flows} topic ({@code read_committed}), each with the
 * lost-at segment of the newest alert about its conversation (from the {@code alerts} topic), as
 * the flow store's {@code flows} view joins them: first each conversation's last flow record, then
 * (when following) every new flow record as the job commits it.
 */
public final class FlowFollower implements AutoCloseable {
  /** A flow record and the lost-at of the newest alert about its conversation (or null). */
  public record Flow(FlowRecord record, LostAt lostAt) {}

  /** What {@link #read} found, and the follower (null when not following). */
  public record Snapshot(List<Flow> lastRecords, FlowFollower follower) {}

  private final Follower<Alert> alerts;
  private final Follower<FlowRecord> flows;

  private FlowFollower(Follower<Alert> alerts, Follower<FlowRecord> flows) {
    this.alerts = alerts;
    this.flows = flows;
  }

  /**
   * Reads both topics to their end; with {@code onNew}, then follows them (alerts first, so that a
   * flow record committed after its alert carries its lost-at), until the follower is closed.
   */
  public static Snapshot read(
      String bootstrapServers, Topics topics, Duration timeout, Consumer<Flow> onNew) {
    Map<String, LostAt> lostAt = new ConcurrentHashMap<>();
    TopicTail<Alert> alertTail =
        new TopicTail<>(bootstrapServers, topics.alerts(), AvroSerde.alert()::decode);
    TopicTail<FlowRecord> flowTail = null;
    try {
      alertTail.readToEnd(timeout).forEach(i -> note(lostAt, i.value()));
      flowTail = new TopicTail<>(bootstrapServers, topics.flows(), AvroSerde.flowRecord()::decode);
      Map<String, FlowRecord> last = new LinkedHashMap<>();
      flowTail.readToEnd(timeout).forEach(i -> last.put(i.value().getConversationId(), i.value()));
      List<Flow> out = new ArrayList<>();
      last.values().forEach(f -> out.add(new Flow(f, lostAt.get(f.getConversationId()))));
      if (onNew == null) {
        alertTail.close();
        flowTail.close();
        return new Snapshot(out, null);
      }
      Follower<Alert> a = Follower.start(alertTail, r -> note(lostAt, r), "hoptrace-flows-alerts");
      Follower<FlowRecord> f =
          Follower.start(
              flowTail,
              r -> onNew.accept(new Flow(r, lostAt.get(r.getConversationId()))),
              "hoptrace-flows-follow");
      return new Snapshot(out, new FlowFollower(a, f));
    } catch (RuntimeException e) {
      alertTail.close();
      if (flowTail != null) {
        flowTail.close();
      }
      throw e;
    }
  }

  private static void note(Map<String, LostAt> lostAt, Alert a) {
    String id = a.getSubject() == null ? null : a.getSubject().getConversationId();
    if (id != null && a.getLostAt() != null) {
      lostAt.put(id, a.getLostAt());
    }
  }

  @Override
  public void close() {
    flows.close();
    alerts.close();
  }
}
