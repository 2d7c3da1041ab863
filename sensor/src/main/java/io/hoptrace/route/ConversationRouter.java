package io.hoptrace.route;

/**
 * Maps a summary's flow key (its partition key as the decoder computes it: the canonical inner flow
 * key, or for an ICMP error the key of the flow it quotes) to the key it is published under. Tuples
 * of one NAT-ed conversation must map to one key; a flow without NAT keeps its own key.
 */
@FunctionalInterface
public interface ConversationRouter {
  /** Publishes every summary under its own flow key: no NAT known to this publisher. */
  ConversationRouter IDENTITY = key -> key;

  /** The partition key for {@code flowKey} (never null for a non-null flow key). */
  String route(String flowKey);
}
