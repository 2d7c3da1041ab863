package io.hoptrace.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) running in this JVM on free
 * loopback ports, with its own data directory: a temporary one deleted on {@link #close()}, or a
 * given one that survives restarts. The only class in hoptrace touching Kafka's internal server API
 * ({@code KafkaRaftServer}, {@code Formatter}), which may move between Kafka versions.
 *
 * <p>Single-node settings: replication factor 1 and min ISR 1 for the offsets, transaction-state
 * and share-coordinator topics (without them {@code __transaction_state} cannot be created and an
 * exactly-once Streams app emits nothing), no initial rebalance delay for classic, consumer and
 * streams groups. Ready when {@code Admin.describeCluster()} returns a node.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String HOST = "127.0.0.1";
  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final int BIND_ATTEMPTS = 3;

  static {
    QuietLogging.apply();
  }

  private final Path dataDir;
  private final boolean temporary;
  private final DataDirLock lock;
  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final String saslSslBootstrapServers;
  private final Admin admin;
  private final Thread shutdownHook;
  private boolean closed;

  private EmbeddedKafka(
      Path dataDir,
      boolean temporary,
      DataDirLock lock,
      KafkaRaftServer server,
      String bootstrap,
      String saslSslBootstrap,
      Admin admin) {
    this.dataDir = dataDir;
    this.temporary = temporary;
    this.lock = lock;
    this.server = server;
    this.bootstrapServers = bootstrap;
    this.saslSslBootstrapServers = saslSslBootstrap;
    this.admin = admin;
    this.shutdownHook = new Thread(this::close, "embedded-kafka-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a broker on a temporary data directory, deleted on {@link #close()}. */
  public static EmbeddedKafka start() {
    return builder().start();
  }

  /**
   * Starts a broker keeping its data in {@code dataDir} (created and formatted when new; reused,
   * with its topics and records, when it holds a broker's data from an earlier start).
   */
  public static EmbeddedKafka start(Path dataDir) {
    return builder().dataDir(dataDir).start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code host:port} of the broker's PLAINTEXT listener, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * {@code host:port} of the broker's SASL_SSL listener ({@link Builder#saslSsl}), or null when it
   * has none.
   */
  public String saslSslBootstrapServers() {
    return saslSslBootstrapServers;
  }

  /** The directory holding the broker's logs and metadata. */
  public Path dataDir() {
    return dataDir;
  }

  /** A client configuration with {@code bootstrap.servers} set; callers add the rest. */
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }

  /** An admin client owned by this broker (do not close it; {@link #close()} does). */
  public Admin admin() {
    return admin;
  }

  /**
   * Creates a topic with replication factor 1 unless it exists.
   *
   * @param compacted {@code cleanup.policy=compact} when true, else {@code delete}
   */
  public void createTopic(String name, int partitions, boolean compacted) {
    NewTopic topic = new NewTopic(name, Optional.of(partitions), Optional.of((short) 1));
    if (compacted) {
      topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }
    createTopics(List.of(topic));
  }

  /**
   * Creates topics, skipping those that exist already, and waits until every partition of a new
   * topic is served by its leader: an idempotent producer writing in the moment a topic's creation
   * is applied can lose its first batches (NOT_LEADER_OR_FOLLOWER, then
   * OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout; KAFKA-15591, seen with 4.2.2).
   */
  public void createTopics(Collection<NewTopic> topics) {
    Map<String, NewTopic> byName = new LinkedHashMap<>();
    topics.forEach(t -> byName.put(t.name(), t));
    for (var entry : admin.createTopics(topics).values().entrySet()) {
      String name = entry.getKey();
      try {
        entry.getValue().get(30, TimeUnit.SECONDS);
        awaitServed(name, byName.get(name).numPartitions());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "cannot create topic " + name + ": " + e.getCause(), e.getCause());
        }
      } catch (TimeoutException e) {
        throw new IllegalStateException("creating topic " + name + " timed out", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted creating topic " + name, e);
      }
    }
  }

  /** Waits until each partition's leader answers a ListOffsets request (at most 30 s). */
  private void awaitServed(String topic, int partitions) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        int count =
            partitions > 0
                ? partitions
                : admin
                    .describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(5, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .size();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < count; p++) {
          request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        admin.listOffsets(request).all().get(5, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException | TimeoutException e) {
        last = e;
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("topic " + topic + " not served after 30 s: " + last, last);
  }

  /** Creates single-partition, non-compacted topics unless they exist. */
  public void createTopics(String... names) {
    List<NewTopic> topics = new ArrayList<>();
    for (String name : names) {
      topics.add(new NewTopic(name, Optional.of(1), Optional.of((short) 1)));
    }
    createTopics(topics);
  }

  /** Stops the broker and, for a temporary data directory, deletes it. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException alreadyShuttingDown) {
      // the JVM is exiting and this runs from the hook itself
    }
    admin.close(Duration.ofSeconds(5));
    stop(server);
    lock.close();
    if (temporary) {
      deleteRecursively(dataDir);
    }
    LOG.info("embedded Kafka on {} stopped", bootstrapServers);
  }

  @Override
  public String toString() {
    return "EmbeddedKafka[" + bootstrapServers + ", " + dataDir + "]";
  }

  /**
   * A SASL_SSL listener: TLS with the broker's key and certificate in {@code keystore} (PKCS12),
   * SCRAM-SHA-512 with one user, whose credentials are created through the admin API once the
   * broker runs.
   */
  public record SaslSsl(Path keystore, String keystorePassword, String user, String password) {
    public SaslSsl {
      Objects.requireNonNull(keystore, "keystore");
      Objects.requireNonNull(keystorePassword, "keystorePassword");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
    }
  }

  /** Options for {@link EmbeddedKafka}. */
  public static final class Builder {
    private Path dataDir;
    private SaslSsl saslSsl;
    private Duration startTimeout = Duration.ofSeconds(60);
    private final Map<String, String> overrides = new LinkedHashMap<>();

    private int port;

    private Builder() {}

    /** Keep data in this directory (survives restarts); default: a temporary directory. */
    public Builder dataDir(Path dir) {
      this.dataDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** How long to wait for the broker to be ready (default 60 s). */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Overrides or adds one broker setting (e.g. {@code log.retention.ms}). */
    /** Serves clients on this port (default: a free port chosen at start). */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Also serves clients on a SASL_SSL listener (SCRAM-SHA-512) besides the PLAINTEXT one, which
     * stays the broker's own (inter-broker, {@link #admin()}).
     */
    public Builder saslSsl(SaslSsl listener) {
      this.saslSsl = Objects.requireNonNull(listener);
      return this;
    }

    public Builder brokerProperty(String key, String value) {
      overrides.put(key, value);
      return this;
    }

    /**
     * Locks the data directory, formats it if new, starts the broker and waits until it serves
     * clients. Nothing in the directory is read or written before the lock is held.
     *
     * @throws DataDirInUseException when another broker (this process or another) holds the data
     *     directory
     * @throws PortInUseException when the fixed {@link #port} is taken
     */
    public EmbeddedKafka start() {
      boolean temporary = dataDir == null;
      Path dir;
      try {
        dir = temporary ? Files.createTempDirectory("hoptrace-kafka-") : dataDir;
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot create Kafka data directory " + (dataDir == null ? "" : dataDir), e);
      }
      // first the lock: Kafka reads (and may truncate) the metadata log before taking its own
      DataDirLock lock = DataDirLock.acquire(dir);
      try {
        if (port > 0) {
          PortInUseException.check(HOST, port);
        }
        return startIn(dir, temporary, lock);
      } catch (RuntimeException e) {
        lock.close();
        if (temporary) {
          deleteRecursively(dir);
        }
        throw e;
      }
    }

    private EmbeddedKafka startIn(Path dir, boolean temporary, DataDirLock lock) {
      Path logDir = dir.resolve("kafka-logs").toAbsolutePath();
      RuntimeException last = null;
      // a fixed port is not retried: a second try cannot make it free
      int attempts = port > 0 ? 1 : BIND_ATTEMPTS;
      for (int attempt = 1; attempt <= attempts; attempt++) {
        int brokerPort = port > 0 ? port : freePort();
        int controllerPort = freePort();
        Properties props = brokerProperties(logDir, brokerPort, controllerPort);
        int saslPort = saslSsl == null ? 0 : freePort();
        if (saslSsl != null) {
          addSaslSsl(props, saslPort, saslSsl);
        }
        props.putAll(overrides);
        format(logDir, props);
        KafkaRaftServer server =
            new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
          server.startup();
        } catch (RuntimeException e) {
          stop(server);
          last = e;
          LOG.warn("embedded Kafka failed to start (attempt {}): {}", attempt, e.toString());
          continue;
        }
        String bootstrap = HOST + ":" + brokerPort;
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        try {
          awaitReady(admin, startTimeout);
          if (saslSsl != null) {
            addScramUser(admin, saslSsl, startTimeout);
          }
        } catch (RuntimeException e) {
          admin.close(Duration.ofSeconds(2));
          stop(server);
          throw e;
        }
        LOG.info("embedded Kafka ready on {} (data in {})", bootstrap, dir);
        String saslBootstrap = saslSsl == null ? null : HOST + ":" + saslPort;
        return new EmbeddedKafka(dir, temporary, lock, server, bootstrap, saslBootstrap, admin);
      }
      if (port > 0) {
        throw new IllegalStateException(
            "embedded Kafka did not start on " + HOST + ":" + port + ": " + last, last);
      }
      throw new IllegalStateException("embedded Kafka did not start: " + last, last);
    }
  }

  static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://"
            + HOST
            + ":"
            + brokerPort
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + HOST
            + ":"
            + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("metadata.log.dir", logDir.toString());
    // one node: every internal topic with replication factor 1 (and min ISR 1)
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "5");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("share.coordinator.state.topic.num.partitions", "5");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    // no waiting for more members: a single test or demo client gets its assignment at once
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("group.streams.initial.rebalance.delay.ms", "0");
    p.put("group.streams.min.heartbeat.interval.ms", "100");
    p.put("group.streams.heartbeat.interval.ms", "500");
    p.put("group.consumer.min.heartbeat.interval.ms", "100");
    p.put("group.consumer.heartbeat.interval.ms", "500");
    return p;
  }

  /** The SASL_SSL listener's settings, added to the PLAINTEXT and CONTROLLER ones. */
  private static void addSaslSsl(Properties p, int port, SaslSsl s) {
    String listener = "SASL_SSL://" + HOST + ":" + port;
    p.put("listeners", p.getProperty("listeners") + "," + listener);
    p.put("advertised.listeners", p.getProperty("advertised.listeners") + "," + listener);
    p.put(
        "listener.security.protocol.map",
        p.getProperty("listener.security.protocol.map") + ",SASL_SSL:SASL_SSL");
    p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
    p.put(
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    p.put("listener.name.sasl_ssl.ssl.keystore.location", s.keystore().toAbsolutePath().toString());
    p.put("listener.name.sasl_ssl.ssl.keystore.password", s.keystorePassword());
    p.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
    p.put("listener.name.sasl_ssl.ssl.key.password", s.keystorePassword());
  }

  /**
   * Creates the SCRAM user of the SASL_SSL listener (KRaft keeps it in the metadata log) and waits
   * until the broker lists it, so that the first client can authenticate.
   */
  private static void addScramUser(Admin admin, SaslSsl s, Duration timeout) {
    try {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      s.user(),
                      new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                      s.password())))
          .all()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!admin
          .describeUserScramCredentials()
          .users()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .contains(s.user())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("SCRAM user " + s.user() + " not visible in time");
        }
        sleep(50);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create SCRAM user " + s.user() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating SCRAM user", e);
    }
  }

  private static void format(Path logDir, Properties props) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          // release version: left unset, the Formatter uses MetadataVersion.LATEST_PRODUCTION
          // (latestTesting only with unstable feature versions enabled, which we never set)
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setIgnoreFormatted(true)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format Kafka data directory " + logDir + ": " + e, e);
    }
  }

  private static void awaitReady(Admin admin, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        Collection<Node> nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
        if (!nodes.isEmpty()) {
          return;
        }
      } catch (ExecutionException | TimeoutException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for embedded Kafka", e);
      }
      sleep(100);
    }
    throw new IllegalStateException(
        "embedded Kafka not ready after " + timeout.toSeconds() + " s: " + last, last);
  }

  private static void stop(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("embedded Kafka shutdown: {}", e.toString());
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + HOST, e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static void deleteRecursively(Path dir) {
    try {
      Utils.delete(dir.toFile());
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", dir, e.toString());
    }
  }
}
