package io.hoptrace.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;

/**
 * Keeps an embedded broker and Kafka's clients from flooding the console (the CLI applies it at
 * start, the embedded broker when it loads). With slf4j-simple (hoptrace's CLI backend) per-logger
 * levels come from system properties read when each logger is created, so setting them before the
 * broker's loggers exist is enough. A level already set, as a system property or in {@code
 * simplelogger.properties}, wins; other logging backends ignore these properties.
 */
public final class QuietLogging {

  private static final String PREFIX = "org.slf4j.simpleLogger.log.";

  /** Logger name prefixes and the level they get unless configured otherwise. */
  private static final Map<String, String> LEVELS =
      Map.ofEntries(
          Map.entry("kafka", "warn"),
          Map.entry("org.apache.kafka", "warn"),
          Map.entry("state.change.logger", "warn"),
          Map.entry("org.apache.kafka.controller.QuorumController", "error"),
          Map.entry("org.apache.kafka.common.utils.AppInfoParser", "error"),
          Map.entry("org.apache.kafka.clients.admin.AdminClientConfig", "error"),
          // replays (demo, analyze) carry capture timestamps; the broker warns about each segment
          Map.entry("LogFutureTimestampLogger", "error"),
          // connection attempts to an unreachable broker: one WARN per retry; hoptrace reports
          // an unreachable Kafka itself, in one line (KafkaCheck, the publisher's failure log)
          Map.entry("org.apache.kafka.clients.NetworkClient", "error"),
          // a consumer or admin client asking for a topic while it is being created
          Map.entry("org.apache.kafka.clients.consumer.internals.OffsetFetcherUtils", "error"),
          Map.entry("org.apache.kafka.clients.admin.internals.PartitionLeaderStrategy", "error"),
          Map.entry("org.apache.kafka.clients.Metadata", "error"),
          // the first transactional producer races the broker's own creation of
          // __transaction_state: "already exists", harmless
          Map.entry("kafka.server.DefaultAutoTopicCreationManager", "error"),
          // retried produce errors of the exactly-once job (CONCURRENT_TRANSACTIONS while a
          // transaction ends): retried until they succeed; a failure reaches the job as an error
          Map.entry("org.apache.kafka.clients.producer.internals.Sender", "error"),
          // "using an OS temp directory": the embedded pipeline's state is its own (StateDirs)
          Map.entry("org.apache.kafka.streams.processor.internals.StateDirectory", "error"));

  private QuietLogging() {}

  /** Sets the levels below unless configured otherwise; idempotent. */
  public static void apply() {
    Properties file = simpleLoggerFile();
    LEVELS.forEach(
        (logger, level) -> {
          String key = PREFIX + logger;
          if (System.getProperty(key) == null && file.getProperty(key) == null) {
            System.setProperty(key, level);
          }
        });
  }

  private static Properties simpleLoggerFile() {
    Properties props = new Properties();
    try (InputStream in =
        Thread.currentThread().getContextClassLoader() == null
            ? null
            : Thread.currentThread()
                .getContextClassLoader()
                .getResourceAsStream("simplelogger.properties")) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      // unreadable file: behave as if absent
    }
    return props;
  }
}
