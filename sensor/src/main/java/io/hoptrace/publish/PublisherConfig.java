package io.hoptrace.publish;

import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.TopicSettings;
import io.hoptrace.schema.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the sensor's Kafka publisher, each declared once below with key, default, doc and
 * validation. The producer defaults are the ones measured on the reference machine (KNOWN-GOOD):
 * linger 20 ms, 256 KB batches and lz4 reach 0.8–1.0 M records/s with {@code acks=all} and
 * idempotence, about twice the client defaults. Client settings not listed here (security, SASL,
 * ...) pass through with the prefix {@value #CLIENT_PREFIX}, e.g. {@code
 * kafka.security.protocol=SSL}; they apply to the producer and to the admin client.
 */
public final class PublisherConfig extends AbstractConfig {

  /** Prefix of settings handed to the Kafka clients unchanged (prefix stripped). */
  public static final String CLIENT_PREFIX = "kafka.";

  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String TOPIC_PREFIX = "topic.prefix";
  public static final String CLIENT_ID = "client.id";
  public static final String LINGER_MS = "linger.ms";
  public static final String BATCH_SIZE = "batch.size";
  public static final String COMPRESSION_TYPE = "compression.type";
  public static final String ACKS = "acks";
  public static final String ENABLE_IDEMPOTENCE = "enable.idempotence";
  public static final String MAX_IN_FLIGHT = "max.in.flight.requests.per.connection";
  public static final String BUFFER_MEMORY = "buffer.memory";
  public static final String MAX_BLOCK_MS = "max.block.ms";
  public static final String DELIVERY_TIMEOUT_MS = "delivery.timeout.ms";
  public static final String OUTAGE_BACKOFF_MS = "outage.backoff.ms";
  public static final String FAILURE_LOG_INTERVAL_MS = "failure.log.interval.ms";
  public static final String TOPIC_CREATE = "topic.create";
  public static final String PACKETS_PARTITIONS = "topic.packets.partitions";
  public static final String REPLICATION_FACTOR = "topic.replication.factor";
  public static final String ADMIN_TIMEOUT_MS = "admin.timeout.ms";

  private static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(
              BOOTSTRAP_SERVERS,
              Type.LIST,
              ConfigDef.NO_DEFAULT_VALUE,
              (name, value) -> {
                if (value == null || ((List<?>) value).isEmpty()) {
                  throw new ConfigException(name, value, "at least one host:port is required");
                }
              },
              Importance.HIGH,
              "Kafka brokers to connect to, host:port[,host:port...].")
          .define(
              TOPIC_PREFIX,
              Type.STRING,
              Topics.DEFAULT_PREFIX,
              (name, value) -> {
                try {
                  Topics.withPrefix((String) value);
                } catch (IllegalArgumentException e) {
                  throw new ConfigException(name, value, e.getMessage());
                }
              },
              Importance.MEDIUM,
              "Prefix of every hoptrace topic (packets, nodes, ...).")
          .define(
              CLIENT_ID,
              Type.STRING,
              "hoptrace-sensor",
              new ConfigDef.NonEmptyString(),
              Importance.LOW,
              "Kafka client id of the producer (shows in broker logs and quotas).")
          .define(
              LINGER_MS,
              Type.INT,
              20,
              Range.atLeast(0),
              Importance.MEDIUM,
              "How long the producer waits to fill a batch. 20 ms measured best with 256 KB/lz4.")
          .define(
              BATCH_SIZE,
              Type.INT,
              256 * 1024,
              Range.atLeast(0),
              Importance.MEDIUM,
              "Producer batch size in bytes per partition.")
          .define(
              COMPRESSION_TYPE,
              Type.STRING,
              "lz4",
              ValidString.in("none", "gzip", "snappy", "lz4", "zstd"),
              Importance.MEDIUM,
              "Batch compression. lz4 is the fastest that still halves summary batches.")
          .define(
              ACKS,
              Type.STRING,
              "all",
              ValidString.in("all", "-1", "0", "1"),
              Importance.MEDIUM,
              "Acknowledgements required. Idempotence needs all.")
          .define(
              ENABLE_IDEMPOTENCE,
              Type.BOOLEAN,
              true,
              Importance.MEDIUM,
              "No duplicates or reordering within a partition when the producer retries.")
          .define(
              MAX_IN_FLIGHT,
              Type.INT,
              5,
              Range.between(1, 100),
              Importance.LOW,
              "Unacknowledged requests per broker connection (at most 5 with idempotence).")
          .define(
              BUFFER_MEMORY,
              Type.LONG,
              64L * 1024 * 1024,
              Range.atLeast(1024 * 1024),
              Importance.LOW,
              "Bytes the producer may buffer; when full (broker slow or down) sends wait up to"
                  + " max.block.ms.")
          .define(
              MAX_BLOCK_MS,
              Type.LONG,
              1000L,
              Range.atLeast(0),
              Importance.MEDIUM,
              "Longest a publish may wait for metadata or buffer space. Bounded so that a broker"
                  + " outage costs dropped (counted) summaries, never a stalled capture.")
          .define(
              DELIVERY_TIMEOUT_MS,
              Type.INT,
              120_000,
              Range.atLeast(1),
              Importance.LOW,
              "Time after which an unacknowledged summary is given up (counted as failed).")
          .define(
              OUTAGE_BACKOFF_MS,
              Type.LONG,
              1000L,
              Range.atLeast(0),
              Importance.LOW,
              "After a publish timed out waiting for the broker, summaries published during this"
                  + " many ms are dropped and counted at once instead of each waiting max.block.ms.")
          .define(
              FAILURE_LOG_INTERVAL_MS,
              Type.LONG,
              10_000L,
              Range.atLeast(0),
              Importance.LOW,
              "Send failures are logged at most once per interval, with the count since the last"
                  + " line.")
          .define(
              TOPIC_CREATE,
              Type.BOOLEAN,
              true,
              Importance.MEDIUM,
              "Create the packets and nodes topics at start when missing.")
          .define(
              PACKETS_PARTITIONS,
              Type.INT,
              TopicSettings.DEFAULT_PACKETS_PARTITIONS,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Partitions of a packets topic created at start (every hop of a flow lands in one);"
                  + " the default is the detection job's (TopicSettings), so that a sensor started"
                  + " first creates the topic as `hoptrace run` would.")
          .define(
              REPLICATION_FACTOR,
              Type.SHORT,
              (short) -1,
              (name, value) -> {
                short rf = (Short) value;
                if (rf == 0 || rf < -1) {
                  throw new ConfigException(name, value, "must be -1 (broker default) or >= 1");
                }
              },
              Importance.LOW,
              "Replication factor of topics created at start; -1 takes the broker's default.")
          .define(
              ADMIN_TIMEOUT_MS,
              Type.INT,
              15_000,
              Range.atLeast(1),
              Importance.LOW,
              "How long topic creation at start may take before the publisher goes on without it.");

  public PublisherConfig(Map<String, ?> settings) {
    super(DEFINITION, settings, false);
    if (getBoolean(ENABLE_IDEMPOTENCE)) {
      String acks = getString(ACKS);
      if (!acks.equals("all") && !acks.equals("-1")) {
        throw new ConfigException(ACKS, acks, ENABLE_IDEMPOTENCE + "=true requires acks=all");
      }
      if (getInt(MAX_IN_FLIGHT) > 5) {
        throw new ConfigException(
            MAX_IN_FLIGHT, getInt(MAX_IN_FLIGHT), ENABLE_IDEMPOTENCE + "=true allows at most 5");
      }
    }
  }

  /** The defaults, publishing to {@code bootstrapServers}. */
  public static PublisherConfig forBootstrap(String bootstrapServers) {
    return new PublisherConfig(Map.of(BOOTSTRAP_SERVERS, bootstrapServers));
  }

  /**
   * Settings publishing to the cluster of {@code kafka}: its bootstrap servers and its connection
   * settings (passed through with {@value #CLIENT_PREFIX}); the caller adds the rest.
   */
  public static Map<String, Object> settingsFor(KafkaClientSettings kafka) {
    Map<String, Object> s = new HashMap<>();
    s.put(BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    kafka.connection().forEach((k, v) -> s.put(CLIENT_PREFIX + k, v));
    return s;
  }

  /** The definition of every setting (for help text and documentation). */
  public static ConfigDef definition() {
    return new ConfigDef(DEFINITION);
  }

  public String bootstrapServers() {
    return String.join(",", getList(BOOTSTRAP_SERVERS));
  }

  public Topics topics() {
    return Topics.withPrefix(getString(TOPIC_PREFIX));
  }

  public long outageBackoffMs() {
    return getLong(OUTAGE_BACKOFF_MS);
  }

  public long failureLogIntervalMs() {
    return getLong(FAILURE_LOG_INTERVAL_MS);
  }

  public boolean createTopics() {
    return getBoolean(TOPIC_CREATE);
  }

  public int packetsPartitions() {
    return getInt(PACKETS_PARTITIONS);
  }

  /** Empty for the broker's default replication factor. */
  public Optional<Short> replicationFactor() {
    short rf = getShort(REPLICATION_FACTOR);
    return rf == -1 ? Optional.empty() : Optional.of(rf);
  }

  public int adminTimeoutMs() {
    return getInt(ADMIN_TIMEOUT_MS);
  }

  /** Settings passed through to both Kafka clients (prefix {@value #CLIENT_PREFIX} stripped). */
  public Map<String, Object> clientOverrides() {
    return originalsWithPrefix(CLIENT_PREFIX, true);
  }

  /** The admin client's configuration. */
  public Map<String, Object> adminProperties() {
    Map<String, Object> p = new HashMap<>(clientOverrides());
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, getString(CLIENT_ID) + "-admin");
    return p;
  }

  /** The producer's configuration (serializers are passed to the producer as instances). */
  public Map<String, Object> producerProperties() {
    Map<String, Object> p = new HashMap<>(clientOverrides());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, getString(CLIENT_ID));
    p.put(ProducerConfig.LINGER_MS_CONFIG, getInt(LINGER_MS));
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, getInt(BATCH_SIZE));
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, getString(COMPRESSION_TYPE));
    p.put(ProducerConfig.ACKS_CONFIG, getString(ACKS));
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, getBoolean(ENABLE_IDEMPOTENCE));
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, getInt(MAX_IN_FLIGHT));
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, getLong(BUFFER_MEMORY));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, getLong(MAX_BLOCK_MS));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, getInt(DELIVERY_TIMEOUT_MS));
    return p;
  }
}
