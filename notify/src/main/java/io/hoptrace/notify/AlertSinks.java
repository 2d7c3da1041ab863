package io.hoptrace.notify;

import io.hoptrace.schema.Alert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The alert sinks a command was asked for, fed together. */
public final class AlertSinks implements Consumer<Alert>, AutoCloseable {
  private final List<AlertSink> sinks;

  private AlertSinks(List<AlertSink> sinks) {
    this.sinks = sinks;
  }

  /**
   * Validates every setting first, then opens the sinks asked for (none: an empty set).
   *
   * @param alertmanager Alertmanager base URL, or null
   * @param syslog syslog target URI, or null
   * @param syslogFormat {@code cef} or {@code json}
   * @throws IllegalArgumentException naming the option when a value is invalid (nothing opened)
   */
  public static AlertSinks open(String alertmanager, String syslog, String syslogFormat) {
    validate(alertmanager, syslog, syslogFormat);
    List<AlertSink> s = new ArrayList<>();
    if (alertmanager != null) {
      s.add(AlertmanagerSink.open(alertmanager));
    }
    if (syslog != null) {
      s.add(SyslogSink.open(syslog, syslogFormat == null ? "cef" : syslogFormat));
    }
    return new AlertSinks(List.copyOf(s));
  }

  /**
   * Checks the settings without opening anything.
   *
   * @throws IllegalArgumentException naming the option when a value is invalid
   */
  public static void validate(String alertmanager, String syslog, String syslogFormat) {
    if (alertmanager != null) {
      AlertmanagerSink.parse(alertmanager);
    }
    if (syslog != null) {
      SyslogTarget.parse(syslog);
    }
    SyslogSink.Format.parse(syslogFormat == null ? "cef" : syslogFormat);
  }

  public boolean isEmpty() {
    return sinks.isEmpty();
  }

  public List<AlertSink> sinks() {
    return sinks;
  }

  @Override
  public void accept(Alert a) {
    for (AlertSink s : sinks) {
      s.accept(a);
    }
  }

  /** Alerts firing when the command (re)started ({@link AlertSink#restore}). */
  public void restore(List<Alert> firing) {
    for (Alert a : firing) {
      for (AlertSink s : sinks) {
        s.restore(a);
      }
    }
  }

  /**
   * Waits up to {@code timeout} (in all) for every sink to deliver what it was given.
   *
   * @return one line per sink: what it delivered, or what it could not
   */
  public List<String> flush(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    List<String> report = new ArrayList<>();
    for (AlertSink s : sinks) {
      boolean done = s.flush(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
      AlertSink.Stats st = s.stats();
      report.add(
          s.describe()
              + ": "
              + st.delivered()
              + " delivered"
              + (st.dropped() + st.rejected() > 0
                  ? ", " + st.dropped() + " dropped, " + st.rejected() + " rejected"
                  : "")
              + (st.failedAttempts() > 0 ? ", " + st.failedAttempts() + " failed attempt(s)" : "")
              + (done ? "" : ", still sending"));
    }
    return report;
  }

  @Override
  public void close() {
    for (AlertSink s : sinks) {
      s.close();
    }
  }
}
