package io.hoptrace.cli;

import io.hoptrace.publish.KafkaCheck;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --connect-timeout SECONDS}: how long a command that talks to an external Kafka waits at
 * start for it to answer ({@link KafkaCheck}) before it gives up with one line and a non-zero exit;
 * shared by {@code sensor}, {@code run}, {@code flink} and {@code analyze --bootstrap}.
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

  /**
   * Checks the option and the bootstrap list's form, touching nothing.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  void validate(String bootstrap) {
    if (connectTimeoutSeconds < 1 || connectTimeoutSeconds > MAX_SECONDS) {
      throw new IllegalArgumentException(
          "--connect-timeout "
              + connectTimeoutSeconds
              + ": must be 1.."
              + MAX_SECONDS
              + " seconds");
    }
    if (bootstrap != null) {
      try {
        KafkaCheck.parseBootstrap(bootstrap);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--bootstrap " + bootstrap + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * {@link #validate}, then waits for a Kafka at {@code bootstrap} at most the timeout.
   *
   * @throws io.hoptrace.publish.KafkaUnreachableException saying why, in one sentence
   */
  void check(String bootstrap, Map<String, ?> clientSettings) {
    validate(bootstrap);
    KafkaCheck.check(bootstrap, clientSettings, Duration.ofSeconds(connectTimeoutSeconds));
  }
}
