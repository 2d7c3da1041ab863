package io.hoptrace.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;

/**
 * Keeps an embedded broker from flooding the console. With slf4j-simple (hoptrace's CLI backend)
 * per-logger levels come from system properties read when each logger is created, so setting them
 * before the broker's loggers exist is enough. A level already set, as a system property or in
 * {@code simplelogger.properties}, wins; other logging backends ignore these properties.
 */
final class QuietLogging {

  private static final String PREFIX = "org.slf4j.simpleLogger.log.";

  /** Logger name prefixes and the level they get unless configured otherwise. */
  private static final Map<String, String> LEVELS =
      Map.of(
          "kafka", "warn",
          "org.apache.kafka", "warn",
          "state.change.logger", "warn",
          "org.apache.kafka.controller.QuorumController", "error",
          "org.apache.kafka.common.utils.AppInfoParser", "error",
          "org.apache.kafka.clients.admin.AdminClientConfig", "error",
          // replays (demo, analyze) carry capture timestamps; the broker warns about each segment
          "LogFutureTimestampLogger", "error",
          "org.apache.kafka.clients.NetworkClient", "error");

  private QuietLogging() {}

  static void apply() {
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
