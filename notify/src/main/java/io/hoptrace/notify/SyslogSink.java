package io.hoptrace.notify;

import com.cloudbees.syslog.Facility;
import com.cloudbees.syslog.MessageFormat;
import com.cloudbees.syslog.SDElement;
import com.cloudbees.syslog.SDParam;
import com.cloudbees.syslog.Severity;
import com.cloudbees.syslog.SyslogMessage;
import com.cloudbees.syslog.sender.AbstractSyslogMessageSender;
import com.cloudbees.syslog.sender.TcpSyslogMessageSender;
import com.cloudbees.syslog.sender.UdpSyslogMessageSender;
import io.hoptrace.ecs.EcsAlertJson;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;

/**
 * Sends each alert record to a syslog receiver (a SIEM's collector, rsyslog, syslog-ng) as an RFC
 * 5424 message: APP-NAME {@code hoptrace}, MSGID the alert type, structured data {@code
 * [hoptrace@32473 id=... type=... status=... severity=...]} (32473 is the documentation enterprise
 * number of RFC 5612: hoptrace has no IANA number of its own), and as MSG a {@link Cef} line or the
 * alert's ECS JSON ({@link Format}). Framing per {@link SyslogTarget}. Formatting and transport are
 * the {@code syslog-java-client} library's; delivery is queued with back-off ({@link Delivery}).
 */
public final class SyslogSink implements AlertSink {
  /** MSG payload. */
  public enum Format {
    CEF,
    JSON;

    /** Parses {@code --syslog-format}'s value. */
    public static Format parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("--syslog-format: expected cef or json, got " + s);
      }
    }
  }

  /** SD-ID of hoptrace's structured-data element. */
  public static final String SD_ID = "hoptrace@32473";

  private final SyslogTarget target;
  private final Format format;
  private final AbstractSyslogMessageSender sender;
  private final String hostname;
  private final Delivery<Alert> delivery;

  private SyslogSink(SyslogTarget target, Format format) {
    this.target = target;
    this.format = format;
    this.hostname = localHostname();
    if (target.transport() == SyslogTarget.Transport.UDP) {
      UdpSyslogMessageSender udp = new UdpSyslogMessageSender();
      udp.setSyslogServerHostname(target.host());
      udp.setSyslogServerPort(target.port());
      udp.setMessageFormat(MessageFormat.RFC_5424);
      sender = udp;
    } else {
      TcpSyslogMessageSender tcp = new TcpSyslogMessageSender();
      tcp.setSyslogServerHostname(target.host());
      tcp.setSyslogServerPort(target.port());
      tcp.setSsl(target.transport() == SyslogTarget.Transport.TLS);
      // octet counting: "LEN SP MSG", no trailer (the library's default "\r\n" would start the
      // next frame with garbage)
      tcp.setMessageFormat(MessageFormat.RFC_5425);
      tcp.setPostfix("");
      tcp.setMaxRetryCount(0); // Delivery retries with back-off
      tcp.setSocketConnectTimeoutInMillis(5_000);
      sender = tcp;
    }
    this.delivery =
        new Delivery<>(
            "syslog " + target, 10_000, Duration.ofMillis(500), Duration.ofSeconds(30), this::send);
  }

  /**
   * A sink sending to {@code target} ({@code --syslog}) in {@code format} ({@code
   * --syslog-format}).
   *
   * @throws IllegalArgumentException naming the option when a value is invalid
   */
  public static SyslogSink open(String target, String format) {
    return new SyslogSink(SyslogTarget.parse(target), Format.parse(format));
  }

  /** The RFC 5424 message (without transport framing) of an alert record. */
  SyslogMessage message(Alert a) {
    Severity sev =
        a.getStatus() == AlertStatus.RESOLVED
            ? Severity.NOTICE
            : switch (a.getSeverity()) {
              case CRITICAL -> Severity.CRITICAL;
              case WARNING -> Severity.WARNING;
              case INFO -> Severity.INFORMATIONAL;
            };
    return new SyslogMessage()
        .withFacility(Facility.LOCAL0)
        .withSeverity(sev)
        .withTimestamp(System.currentTimeMillis())
        .withHostname(hostname)
        .withAppName("hoptrace")
        .withMsgId(a.getType().name())
        .withSDElement(
            new SDElement(
                SD_ID,
                new SDParam("id", a.getId()),
                new SDParam("type", a.getType().name()),
                new SDParam("status", a.getStatus().name()),
                new SDParam("severity", a.getSeverity().name()),
                new SDParam("incident", String.valueOf(a.getIncidentId()))))
        .withMsg(format == Format.CEF ? Cef.line(a) : EcsAlertJson.toJson(a));
  }

  private void send(Alert a) throws Exception {
    sender.sendMessage(message(a));
  }

  @Override
  public void accept(Alert a) {
    delivery.offer(a);
  }

  @Override
  public boolean flush(Duration timeout) throws InterruptedException {
    return delivery.flush(timeout);
  }

  @Override
  public String describe() {
    return "syslog " + target + " (" + format.name().toLowerCase(Locale.ROOT) + ")";
  }

  @Override
  public Stats stats() {
    return delivery.stats();
  }

  @Override
  public void close() {
    delivery.close(Duration.ofSeconds(5));
    try {
      sender.close();
    } catch (java.io.IOException ignored) {
      // closing the socket
    }
  }

  private static String localHostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "-";
    }
  }
}
