package io.hoptrace.schema;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The names of hoptrace's Kafka topics, in one place (SPEC section 2). Every name is the prefix
 * (default {@value #DEFAULT_PREFIX}) followed by the topic's base name; only {@code nodes} is
 * compacted.
 */
public final class Topics {

  public static final String DEFAULT_PREFIX = "hoptrace.";

  /** One record per captured packet per hop, keyed by the canonical inner flow key. */
  public static final String PACKETS = "packets";

  /** One inventory record per node, keyed by node name; compacted. */
  public static final String NODES = "nodes";

  public static final String FLOWS = "flows";
  public static final String ALERTS = "alerts";

  /** Incidents: alerts that share one cause, keyed by incident id. */
  public static final String INCIDENTS = "incidents";

  /**
   * Kernel drop reasons (KernelDrop records), keyed by the canonical flow key like packets and
   * partitioned alike, so the detection's stage 1 sees a conversation's drops where it sees its
   * packets.
   */
  public static final String DROPS = "drops";

  /**
   * Requests to the live sensors for the packets their rings hold (PcapRequest records, keyed by
   * request id; {@code hoptrace pcap}). Not one of {@link #all()}: the sensors and the command
   * create it, the detection job does not use it.
   */
  public static final String PCAP_REQUESTS = "pcap.requests";

  /** The sensors' answers to those requests (PcapAnswer records, keyed by request id). */
  public static final String PCAP_ANSWERS = "pcap.answers";

  /** Alerts as ECS JSON, for SIEMs. */
  public static final String ALERTS_ECS = "alerts.ecs";

  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]*");
  private static final int MAX_TOPIC_LENGTH = 249;
  private static final Topics DEFAULT = new Topics(DEFAULT_PREFIX);

  private final String prefix;

  private Topics(String prefix) {
    this.prefix = prefix;
  }

  /** Topics named with {@value #DEFAULT_PREFIX}. */
  public static Topics defaults() {
    return DEFAULT;
  }

  /**
   * Topics named with the given prefix (may be empty).
   *
   * @throws IllegalArgumentException when the prefix holds characters Kafka does not allow in topic
   *     names (only ASCII letters, digits, '.', '_' and '-') or makes a name too long
   */
  public static Topics withPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (!LEGAL.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "topic prefix '"
              + prefix
              + "' may only contain ASCII letters, digits, '.', '_' and '-' (Kafka topic names)");
    }
    if (prefix.length() + PCAP_REQUESTS.length() > MAX_TOPIC_LENGTH) {
      throw new IllegalArgumentException(
          "topic prefix is too long: topic names are limited to " + MAX_TOPIC_LENGTH + " chars");
    }
    return prefix.equals(DEFAULT_PREFIX) ? DEFAULT : new Topics(prefix);
  }

  public String prefix() {
    return prefix;
  }

  public String packets() {
    return prefix + PACKETS;
  }

  public String drops() {
    return prefix + DROPS;
  }

  public String nodes() {
    return prefix + NODES;
  }

  public String flows() {
    return prefix + FLOWS;
  }

  public String alerts() {
    return prefix + ALERTS;
  }

  public String alertsEcs() {
    return prefix + ALERTS_ECS;
  }

  public String incidents() {
    return prefix + INCIDENTS;
  }

  public String pcapRequests() {
    return prefix + PCAP_REQUESTS;
  }

  public String pcapAnswers() {
    return prefix + PCAP_ANSWERS;
  }

  /** All topic names: packets, nodes, drops, flows, alerts, alerts.ecs, incidents. */
  public List<String> all() {
    return List.of(packets(), nodes(), drops(), flows(), alerts(), alertsEcs(), incidents());
  }

  /** Whether the topic is one of these topics and must use {@code cleanup.policy=compact}. */
  public boolean isCompacted(String topic) {
    return nodes().equals(topic);
  }

  @Override
  public String toString() {
    return "Topics" + all();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Topics other && other.prefix.equals(prefix);
  }

  @Override
  public int hashCode() {
    return prefix.hashCode();
  }
}
