package io.hoptrace.route;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The NAT table of a set of captures as a {@link ConversationRouter}: every flow key linked to
 * another (the same packet seen under both on one node, see {@link NatLinkScanner}) routes to its
 * conversation's representative, the smallest key of the linked set — a choice independent of the
 * order in which the links were found. Immutable.
 */
public final class NatLinks implements ConversationRouter {
  private final Map<String, String> representative;
  private final int conversations;

  NatLinks(Map<String, String> representative, int conversations) {
    this.representative = Collections.unmodifiableMap(representative);
    this.conversations = conversations;
  }

  /** No links: routes every key to itself. */
  public static NatLinks none() {
    return new NatLinks(new HashMap<>(), 0);
  }

  @Override
  public String route(String flowKey) {
    String r = representative.get(flowKey);
    return r != null ? r : flowKey;
  }

  /** How many flow keys are routed to another key's conversation. */
  public int linkedKeys() {
    int n = 0;
    for (Map.Entry<String, String> e : representative.entrySet()) {
      if (!e.getKey().equals(e.getValue())) {
        n++;
      }
    }
    return n;
  }

  /** How many conversations span more than one flow key. */
  public int natConversations() {
    return conversations;
  }

  /** Every linked flow key with its representative (the representative maps to itself). */
  public Map<String, String> asMap() {
    return representative;
  }
}
