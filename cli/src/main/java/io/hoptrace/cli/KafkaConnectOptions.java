package io.hoptrace.cli;

import io.hoptrace.publish.KafkaCheck;
import io.hoptrace.schema.KafkaClientSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How a command that talks to an external Kafka reaches it, shared by every such command ({@code
 * sensor}, {@code run}, {@code flink}, {@code analyze --bootstrap}, {@code alerts}, {@code flows
 * --bootstrap}, {@code serve --bootstrap}): {@code --kafka-config FILE}, the client connection
 * settings (TLS, SASL) every Kafka client of the command gets ({@link KafkaClientSettings}), and
 * {@code --connect-timeout SECONDS}, how long the command waits at start for Kafka to answer
 * ({@link KafkaCheck}) before it gives up with one line and a non-zero exit.
 */
final class KafkaConnectOptions {

  /** The longest --connect-timeout accepted: longer waits are a retry loop's business. */
  static final int MAX_SECONDS = 600;

  @Option(
      names = "--connect-timeout",
      paramLabel = "SECONDS",
      defaultValue = "15",
      description =
          "How long to wait at start for Kafka to answer before exiting with an error (default:"
              + " ${DEFAULT-VALUE}).")
  int connectTimeoutSeconds = 15;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description =
          "Kafka client properties for every connection to Kafka: security.protocol,"
              + " ssl.truststore.*, ssl.keystore.*, sasl.mechanism, sasl.jaas.config, ...")
  Path kafkaConfig;

  /**
   * Checks the options, the bootstrap list's form and the {@code --kafka-config} file, touching
   * nothing.
   *
   * @param bootstrap the command's {@code --bootstrap}, or null when it has none (then no {@code
   *     --kafka-config} either)
   * @return how the command's clients reach Kafka, or null without a bootstrap
   * @throws IllegalArgumentException naming what is wrong
   */
  KafkaClientSettings validate(String bootstrap) {
    if (connectTimeoutSeconds < 1 || connectTimeoutSeconds > MAX_SECONDS) {
      throw new IllegalArgumentException(
          "--connect-timeout "
              + connectTimeoutSeconds
              + ": must be 1.."
              + MAX_SECONDS
              + " seconds");
    }
    if (bootstrap == null) {
      if (kafkaConfig != null) {
        throw new IllegalArgumentException(
            "--kafka-config " + kafkaConfig + ": goes with --bootstrap (the Kafka it configures)");
      }
      return null;
    }
    try {
      KafkaCheck.parseBootstrap(bootstrap);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--bootstrap " + bootstrap + ": " + e.getMessage(), e);
    }
    return KafkaClientSettings.load(bootstrap, kafkaConfig);
  }

  /**
   * {@link #validate}, then waits for a Kafka at {@code bootstrap} at most the timeout.
   *
   * @return how the command's clients reach Kafka
   * @throws io.hoptrace.publish.KafkaUnreachableException saying why, in one sentence
   */
  KafkaClientSettings check(String bootstrap) {
    KafkaClientSettings kafka = validate(bootstrap);
    check(kafka, kafka.client());
    return kafka;
  }

  /**
   * Waits for the Kafka of {@code kafka} at most the timeout, connecting with {@code
   * clientSettings} (its connection settings and any the command adds).
   *
   * @throws io.hoptrace.publish.KafkaUnreachableException saying why, in one sentence
   */
  void check(KafkaClientSettings kafka, Map<String, ?> clientSettings) {
    KafkaCheck.check(
        kafka.bootstrapServers(),
        clientSettings,
        Duration.ofSeconds(connectTimeoutSeconds),
        kafka.source() == null ? null : "check --kafka-config " + kafka.source());
  }
}
