package io.hoptrace.cli;

import io.hoptrace.notify.AlertSinks;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --alertmanager URL}, {@code --syslog URI} and {@code --syslog-format}: where alert records
 * go besides Kafka ({@link AlertSinks}), shared by {@code demo}, {@code analyze} and {@code run}.
 */
final class NotifyOptions {
  @Option(
      names = "--alertmanager",
      paramLabel = "URL",
      description =
          "Post alerts to this Alertmanager (API v2, e.g. http://127.0.0.1:9093): FIRING as they"
              + " come and again every minute while firing, RESOLVED with endsAt.")
  String alertmanager;

  @Option(
      names = "--syslog",
      paramLabel = "URI",
      description =
          "Send every alert record to a syslog receiver / SIEM as RFC 5424:"
              + " tcp://HOST:PORT (octet counting), tls://HOST:PORT or udp://HOST:PORT.")
  String syslog;

  @Option(
      names = "--syslog-format",
      paramLabel = "cef|json",
      defaultValue = "cef",
      description =
          "Syslog message body: cef (ArcSight CEF) or json (ECS) (default: ${DEFAULT-VALUE}).")
  String syslogFormat;

  /**
   * Checks every value without opening anything (commands call it before their side effects).
   *
   * @throws IllegalArgumentException naming the option when a value is invalid
   */
  static void validate(NotifyOptions o) {
    AlertSinks.validate(o.alertmanager, o.syslog, o.syslogFormat);
  }

  /**
   * Opens the sinks asked for (validated first).
   *
   * @throws IllegalArgumentException naming the option when a value is invalid
   */
  AlertSinks open() {
    return AlertSinks.open(alertmanager, syslog, syslogFormat);
  }

  /** Waits (at most 10 s) for the sinks to deliver, then reports what each did on {@code err}. */
  static void finish(AlertSinks sinks, String command, PrintWriter err)
      throws InterruptedException {
    if (sinks.isEmpty()) {
      return;
    }
    for (String line : sinks.flush(Duration.ofSeconds(10))) {
      err.println("hoptrace " + command + ": " + line);
    }
    err.flush();
  }
}
