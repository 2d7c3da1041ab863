package io.hoptrace.schema;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.JaasContext;

/**
 * How hoptrace's Kafka clients reach a cluster, in one place: the bootstrap servers plus the
 * connection settings of {@code --kafka-config FILE} (security protocol, TLS trust and key stores,
 * SASL mechanism and JAAS...). Every client a command makes (producers, consumers, admin clients,
 * the Kafka Streams app and its internal clients, Flink's source and sink, the start-up check, the
 * followers) starts from {@link #client()} and adds only its own role's settings, so that no client
 * is built without them.
 *
 * <p>The file may hold only settings that every Kafka client shares (those producers, consumers and
 * admin clients all know, e.g. {@code security.protocol}, {@code ssl.*}, {@code sasl.*}); a setting
 * of one client kind (e.g. {@code acks}) or one Kafka does not know is refused, naming the file and
 * the key, before anything is started. {@code bootstrap.servers} comes from {@code --bootstrap},
 * not the file. Settings a client sets for its own role (client id, timeouts of the start-up check)
 * win over the file.
 *
 * <p>Needs {@code kafka-clients} (an optional dependency of this module) for {@link #load}.
 */
public final class KafkaClientSettings {

  private final String bootstrapServers;
  private final Map<String, String> connection;
  private final Path source;

  private KafkaClientSettings(
      String bootstrapServers, Map<String, String> connection, Path source) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrap servers must not be blank");
    }
    this.bootstrapServers = bootstrapServers;
    this.connection = Collections.unmodifiableMap(new TreeMap<>(connection));
    this.source = source;
  }

  /** Plain connections to {@code bootstrapServers} (no security settings). */
  public static KafkaClientSettings plain(String bootstrapServers) {
    return new KafkaClientSettings(bootstrapServers, Map.of(), null);
  }

  /**
   * Connections to {@code bootstrapServers} with the settings of {@code file}, checked.
   *
   * @param file a Java properties file, or null for none
   * @throws IllegalArgumentException one line naming the file and what is wrong with it
   */
  public static KafkaClientSettings load(String bootstrapServers, Path file) {
    if (file == null) {
      return plain(bootstrapServers);
    }
    return new KafkaClientSettings(bootstrapServers, read(file), file);
  }

  /**
   * The settings of a {@code --kafka-config} file, checked (see the class comment).
   *
   * @throws IllegalArgumentException one line naming the file and what is wrong with it
   */
  public static Map<String, String> read(Path file) {
    String where = "--kafka-config " + file;
    byte[] bytes;
    try {
      if (Files.isDirectory(file)) {
        throw new IllegalArgumentException(where + ": is a directory, not a properties file");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(where + ": no such file");
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException(where + ": cannot read it (permission denied)");
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": cannot read it: " + e.getMessage());
    }
    Properties p = new Properties();
    try (Reader r = new StringReader(text(bytes, where))) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          where + ": not a properties file (" + e.getMessage() + ")");
    }
    if (p.isEmpty()) {
      throw new IllegalArgumentException(
          where
              + ": no settings in it (expected KEY=VALUE lines, e.g. security.protocol=SASL_SSL)");
    }
    Map<String, String> settings = new TreeMap<>();
    for (String key : p.stringPropertyNames()) {
      settings.put(key, p.getProperty(key).trim());
    }
    check(settings, where);
    return settings;
  }

  private static String text(byte[] bytes, String where) {
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      if (s.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(where + ": not a properties file (binary content)");
      }
      return s;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(where + ": not a properties file (not UTF-8 text)");
    }
  }

  /** Settings every client kind knows: the only ones a connection file may hold. */
  private static Set<String> shared() {
    Set<String> s = new HashSet<>(ProducerConfig.configNames());
    s.retainAll(ConsumerConfig.configNames());
    s.retainAll(AdminClientConfig.configNames());
    return s;
  }

  private static void check(Map<String, String> settings, String where) {
    Set<String> shared = shared();
    for (String key : settings.keySet()) {
      if (key.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
        throw new IllegalArgumentException(
            where + ": " + key + " is given with --bootstrap, not in the file");
      }
      if (shared.contains(key)) {
        continue;
      }
      boolean producer = ProducerConfig.configNames().contains(key);
      boolean consumer = ConsumerConfig.configNames().contains(key);
      boolean admin = AdminClientConfig.configNames().contains(key);
      if (producer || consumer || admin) {
        throw new IllegalArgumentException(
            where
                + ": "
                + key
                + " is not a connection setting every Kafka client shares (it is for "
                + (producer ? "producers " : "")
                + (consumer ? "consumers " : "")
                + (admin ? "admin clients " : "")
                + "only); the file holds security.protocol, ssl.*, sasl.* and the like");
      }
      throw new IllegalArgumentException(where + ": unknown Kafka client setting " + key);
    }
    // values: types and allowed values as the clients check them (passwords are not printed)
    Map<String, Object> probe = new HashMap<>(settings);
    probe.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    Map<String, Object> parsed;
    try {
      parsed = AdminClientConfig.configDef().parse(probe);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
    if (settings.containsKey(SaslConfigs.SASL_JAAS_CONFIG)) {
      try {
        JaasContext.loadClientContext(parsed);
      } catch (RuntimeException e) {
        // the message may quote the value (a password): name the key only
        throw new IllegalArgumentException(
            where
                + ": "
                + SaslConfigs.SASL_JAAS_CONFIG
                + " is not a JAAS configuration (expected e.g."
                + " org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"U\" password=\"P\";)");
      }
    }
    for (String key : settings.keySet()) {
      if (key.endsWith(".location") && !settings.get(key).isEmpty()) {
        Path store = Path.of(settings.get(key));
        if (!Files.isRegularFile(store)) {
          throw new IllegalArgumentException(where + ": " + key + " " + store + ": no such file");
        }
        if (!Files.isReadable(store)) {
          throw new IllegalArgumentException(where + ": " + key + " " + store + ": cannot read it");
        }
      }
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The connection settings of the file (empty without one). */
  public Map<String, String> connection() {
    return connection;
  }

  /** The file the connection settings came from, or null. */
  public Path source() {
    return source;
  }

  /**
   * A new mutable configuration for one client: the connection settings and {@code
   * bootstrap.servers}; the caller adds its role's settings.
   */
  public Map<String, Object> client() {
    Map<String, Object> m = new HashMap<>(connection);
    m.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return m;
  }

  /** {@link #client()} as {@link Properties}. */
  public Properties clientProperties() {
    Properties p = new Properties();
    p.putAll(client());
    return p;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KafkaClientSettings k
        && k.bootstrapServers.equals(bootstrapServers)
        && k.connection.equals(connection)
        && Objects.equals(k.source, source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bootstrapServers, connection, source);
  }

  /** The bootstrap servers and the setting names (values may be secrets). */
  @Override
  public String toString() {
    return bootstrapServers + (connection.isEmpty() ? "" : " " + connection.keySet());
  }
}
