package io.hoptrace.cli;

import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Which Kafka the ITs that run {@code hoptrace analyze} use, by system property {@value #PROPERTY}:
 * {@code embedded} (the default: the in-process KRaft broker each run starts) or {@code
 * testcontainers[:IMAGE]} (the official image, default {@value #DEFAULT_IMAGE}, started once per
 * test JVM through Testcontainers and passed to {@code analyze --bootstrap}). Testcontainers needs
 * a Docker engine: asked for without one, the ITs fail with that reason instead of quietly using
 * the embedded broker.
 *
 * <p>{@code mvn -B verify -Dhoptrace.it.kafka=testcontainers} (or {@code
 * -Dhoptrace.it.kafka=testcontainers:apache/kafka:4.2.0}).
 */
final class ItKafka {
  static final String PROPERTY = "hoptrace.it.kafka";
  static final String DEFAULT_IMAGE = "apache/kafka:4.2.2";
  private static final String TESTCONTAINERS = "testcontainers";
  private static final String BOOTSTRAP = "bootstrap:";

  private static KafkaContainer container;

  private ItKafka() {}

  /**
   * The image to run, or empty for the embedded broker or an existing Kafka; the property's value
   * is checked.
   */
  static Optional<String> image(String value) {
    if (value == null
        || value.isBlank()
        || value.equals("embedded")
        || (value.startsWith(BOOTSTRAP) && value.length() > BOOTSTRAP.length())) {
      return Optional.empty();
    }
    if (value.equals(TESTCONTAINERS)) {
      return Optional.of(DEFAULT_IMAGE);
    }
    if (value.startsWith(TESTCONTAINERS + ":") && value.length() > TESTCONTAINERS.length() + 1) {
      return Optional.of(value.substring(TESTCONTAINERS.length() + 1));
    }
    throw new IllegalArgumentException(
        "-D"
            + PROPERTY
            + "="
            + value
            + ": expected 'embedded' (default), 'testcontainers', 'testcontainers:IMAGE' or"
            + " 'bootstrap:HOST:PORT'");
  }

  /** Bootstrap servers of the selected external Kafka, or empty for the embedded broker. */
  static synchronized Optional<String> bootstrap() {
    String value = System.getProperty(PROPERTY);
    if (value != null && value.startsWith(BOOTSTRAP) && value.length() > BOOTSTRAP.length()) {
      return Optional.of(value.substring(BOOTSTRAP.length()));
    }
    Optional<String> image = image(value);
    if (image.isEmpty()) {
      return Optional.empty();
    }
    if (container == null) {
      if (!DockerClientFactory.instance().isDockerAvailable()) {
        throw new IllegalStateException(
            "-D"
                + PROPERTY
                + " asks for Kafka in a container ("
                + image.get()
                + "), but no Docker engine is reachable; run without it to use the embedded"
                + " broker");
      }
      KafkaContainer k =
          new KafkaContainer(image.get())
              // single node: every internal topic with one replica (as EmbeddedKafka does)
              .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
              .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
              .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
              .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
              .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1")
              .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
              // replays carry capture timestamps, possibly ahead of the broker's clock
              .withEnv("KAFKA_LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS", String.valueOf(Long.MAX_VALUE));
      k.start();
      Runtime.getRuntime().addShutdownHook(new Thread(k::stop, "kafka-container-stop"));
      container = k;
    }
    return Optional.of(container.getBootstrapServers());
  }

  /** {@code args} of a hoptrace command, with {@code --bootstrap} added to an analyze run. */
  static String[] route(String... args) {
    if (args.length == 0 || !args[0].equals("analyze")) {
      return args;
    }
    for (String a : args) {
      if (a.equals("--bootstrap") || a.startsWith("--bootstrap=")) {
        return args;
      }
    }
    Optional<String> bootstrap = bootstrap();
    if (bootstrap.isEmpty()) {
      return args;
    }
    String[] routed = new String[args.length + 2];
    routed[0] = args[0];
    routed[1] = "--bootstrap";
    routed[2] = bootstrap.get();
    System.arraycopy(args, 1, routed, 3, args.length - 1);
    return routed;
  }
}
