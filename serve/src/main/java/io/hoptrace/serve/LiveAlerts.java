package io.hoptrace.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hoptrace.history.AlertFilter;
import io.hoptrace.pipeline.AlertFollower;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.LostAt;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The alerts topic followed ({@code read_committed}, through {@link AlertFollower}) into an {@link
 * AlertStream}. Each alert is sent with the columns of {@code GET /api/alerts} ({@link
 * AlertFilter#COLUMNS}), so the page shows stored and live alerts alike.
 */
final class LiveAlerts implements AutoCloseable {
  private final AlertFollower follower;

  private LiveAlerts(AlertFollower follower) {
    this.follower = follower;
  }

  /**
   * Starts following {@code topic} on {@code kafka}: alerts already on it are not sent (the store
   * lists them); every record from then on is.
   */
  static LiveAlerts start(KafkaClientSettings kafka, String topic, AlertStream stream) {
    Consumer<Alert> onNew = a -> stream.publish(json(a));
    return new LiveAlerts(
        AlertFollower.start(kafka, topic, Duration.ofMinutes(2), firing -> {}, onNew));
  }

  /** An alert as a row of {@code GET /api/alerts}. */
  static ObjectNode json(Alert a) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", a.getId());
    o.put("type", a.getType().name());
    o.put("severity", a.getSeverity().name());
    o.put("status", a.getStatus().name());
    o.put("first_seen", time(a.getFirstSeen()));
    o.put("last_seen", time(a.getLastSeen()));
    o.put("count", a.getCount());
    AlertSubject s = a.getSubject();
    o.put("subject_kind", s == null ? null : s.getKind());
    o.put("src", s == null ? null : s.getSrc());
    o.put("dst", s == null ? null : s.getDst());
    o.put("proto", s == null ? null : s.getProto());
    o.put("sport", s == null ? null : s.getSport());
    o.put("dport", s == null ? null : s.getDport());
    o.put("node", s == null ? null : s.getNode());
    o.put("conversation_id", s == null ? null : s.getConversationId());
    LostAt l = a.getLostAt();
    o.put("lost_after", l == null ? null : l.getAfter());
    o.put("lost_before", l == null ? null : l.getBefore());
    o.put("lost_direction", l == null ? null : l.getDirection());
    o.put("hint", a.getHint());
    return o;
  }

  private static String time(long nanos) {
    return Instant.ofEpochSecond(
            Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L))
        .toString();
  }

  @Override
  public void close() {
    follower.close();
  }
}
