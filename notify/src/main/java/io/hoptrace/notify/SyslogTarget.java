package io.hoptrace.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where {@code --syslog} sends: {@code tcp://HOST:PORT} (RFC 6587 octet-counting framing), {@code
 * tls://HOST:PORT} (RFC 5425, the JVM's trust store: {@code javax.net.ssl.trustStore}) or {@code
 * udp://HOST:PORT} (RFC 5426, one message per datagram).
 */
public record SyslogTarget(Transport transport, String host, int port) {
  /** The transports. */
  public enum Transport {
    TCP,
    TLS,
    UDP
  }

  /**
   * Parses {@code --syslog}'s value.
   *
   * @throws IllegalArgumentException naming {@code --syslog} and what is wrong
   */
  public static SyslogTarget parse(String text) {
    URI u;
    try {
      u = new URI(text == null ? "" : text.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--syslog: not a URI: " + text);
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    Transport t =
        switch (scheme) {
          case "tcp" -> Transport.TCP;
          case "tls" -> Transport.TLS;
          case "udp" -> Transport.UDP;
          default ->
              throw new IllegalArgumentException(
                  "--syslog: expected tcp://HOST:PORT, tls://HOST:PORT or udp://HOST:PORT, got "
                      + text);
        };
    if (u.getHost() == null || u.getPort() < 1 || u.getPort() > 65535) {
      throw new IllegalArgumentException(
          "--syslog: a host and a port 1-65535 are required: " + text);
    }
    return new SyslogTarget(t, u.getHost(), u.getPort());
  }

  @Override
  public String toString() {
    return transport.name().toLowerCase(Locale.ROOT) + "://" + host + ":" + port;
  }
}
