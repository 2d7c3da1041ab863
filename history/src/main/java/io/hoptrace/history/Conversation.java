package io.hoptrace.history;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the store holds about one conversation: its row in {@code flows} (the newest
 * conversation with that id when the key was seen again later), its {@code flow_hops} rows in path
 * order per direction, and the alerts about it (the same window as the {@code flows} view's lost-at
 * columns: started between its first packet and {@value StoreQuery#ALERT_SLACK_SECONDS} s after its
 * last).
 */
public record Conversation(QueryResult flow, QueryResult hops, QueryResult alerts) {
  /** The {@code flow_hops} columns returned, in order. */
  public static final List<String> HOP_COLUMNS =
      List.of(
          "direction", "hop_index", "hop", "node", "role", "packets", "bytes", "retransmissions");

  /** The flow's columns: those of a flow search plus its TCP state and community ids. */
  public static final List<String> FLOW_COLUMNS =
      java.util.stream.Stream.concat(
              FlowFilter.COLUMNS.stream(), java.util.stream.Stream.of("tcp_state", "community_ids"))
          .toList();

  /** Looks a conversation up; empty when the store has no flow with that id. */
  public static Optional<Conversation> find(StoreQuery q, String conversationId) {
    String id = Sql.quote(conversationId);
    QueryResult flow =
        q.sql(
            "SELECT "
                + String.join(", ", FLOW_COLUMNS)
                + " FROM flows WHERE conversation_id = "
                + id
                + " ORDER BY first_seen DESC LIMIT 1");
    if (flow.rows().isEmpty()) {
      return Optional.empty();
    }
    List<Object> row = flow.rows().get(0);
    String first = Sql.timestamp((Instant) flow.value(row, "first_seen"));
    String last = Sql.timestamp((Instant) flow.value(row, "last_seen"));
    QueryResult hops =
        q.sql(
            "SELECT "
                + String.join(", ", HOP_COLUMNS)
                + " FROM flow_hops WHERE conversation_id = "
                + id
                + " AND first_seen = "
                + first
                + " ORDER BY direction, hop_index");
    QueryResult alerts =
        q.sql(
            "SELECT "
                + String.join(", ", AlertFilter.COLUMNS)
                + " FROM alerts WHERE conversation_id = "
                + id
                + " AND first_seen >= "
                + first
                + " AND first_seen <= "
                + last
                + " + INTERVAL "
                + StoreQuery.ALERT_SLACK_SECONDS
                + " SECOND ORDER BY first_seen, id");
    return Optional.of(new Conversation(flow, hops, alerts));
  }
}
