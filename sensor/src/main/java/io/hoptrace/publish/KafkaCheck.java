package io.hoptrace.publish;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * The check every command that talks to an external Kafka makes before anything else (before
 * creating a topic or a producer): is there a Kafka at the bootstrap address? Without it, an
 * unreachable broker shows as minutes of client warnings, and a port that is open but not Kafka as
 * a replay hanging at its first batch. The answer comes within a bounded time ({@link
 * #DEFAULT_TIMEOUT}, 15 s) as one sentence.
 *
 * <p>First the bootstrap list is parsed ({@code HOST:PORT[,HOST:PORT...]}); then each address is
 * probed with a plain TCP connect (a refused connection or an unknown host is answered at once);
 * then an admin client asks for the cluster's nodes ({@code describeCluster}), bounded by the
 * timeout, with the caller's client settings (TLS, SASL).
 */
public final class KafkaCheck {

  /** How long the check waits for a Kafka answer by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  private static final int TCP_PROBE_MS = 3_000;

  private KafkaCheck() {}

  /**
   * The addresses of a bootstrap list.
   *
   * @throws IllegalArgumentException naming the entry that is not {@code HOST:PORT}
   */
  public static List<InetSocketAddress> parseBootstrap(String bootstrap) {
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalArgumentException(
          "bootstrap servers are empty: expected HOST:PORT, e.g. localhost:9092");
    }
    List<InetSocketAddress> out = new ArrayList<>();
    for (String raw : bootstrap.split(",")) {
      String entry = raw.trim();
      int colon = entry.lastIndexOf(':');
      String host = colon > 0 ? entry.substring(0, colon) : "";
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port = -1;
      if (colon > 0) {
        try {
          port = Integer.parseInt(entry.substring(colon + 1));
        } catch (NumberFormatException e) {
          port = -1;
        }
      }
      if (host.isEmpty() || port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "bootstrap server '"
                + entry
                + "' is not HOST:PORT (e.g. "
                + (entry.isEmpty() || entry.contains(":") ? "localhost" : entry)
                + ":9092)");
      }
      out.add(InetSocketAddress.createUnresolved(host, port));
    }
    return out;
  }

  /**
   * Checks that a Kafka answers at {@code bootstrap} within {@code timeout}.
   *
   * @param clientSettings extra client settings (security, SASL...; may be empty)
   * @throws IllegalArgumentException when the bootstrap list is malformed
   * @throws KafkaUnreachableException when no Kafka answered, saying why in one sentence
   */
  public static void check(String bootstrap, Map<String, ?> clientSettings, Duration timeout) {
    check(bootstrap, clientSettings, timeout, null);
  }

  /**
   * {@link #check(String, Map, Duration)}; a refusal of the credentials or of the TLS handshake,
   * and a Kafka that does not answer on an open port, end with {@code hint} (what to check, e.g.
   * the settings file), when not null.
   */
  public static void check(
      String bootstrap, Map<String, ?> clientSettings, Duration timeout, String hint) {
    String tail = hint == null ? "" : " — " + hint;
    List<InetSocketAddress> addresses = parseBootstrap(bootstrap);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the Kafka connect timeout must be positive: " + timeout);
    }
    List<String> refused = new ArrayList<>();
    for (InetSocketAddress a : addresses) {
      String problem = tcpProbe(a, (int) Math.min(TCP_PROBE_MS, timeout.toMillis()));
      if (problem != null) {
        refused.add(problem);
      }
    }
    if (refused.size() == addresses.size()) {
      throw new KafkaUnreachableException(
          "cannot reach Kafka at " + bootstrap + ": " + String.join("; ", refused));
    }
    long ms = timeout.toMillis();
    Map<String, Object> props = new HashMap<>(clientSettings);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, "hoptrace-check");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ms);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ms);
    props.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, Math.min(ms, 10_000L));
    props.put(
        CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, Math.min(ms, 10_000L));
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000L);
    Admin admin;
    try {
      admin = Admin.create(props);
    } catch (KafkaException e) {
      throw new KafkaUnreachableException(
          "cannot connect to Kafka at " + bootstrap + ": " + rootMessage(e) + tail, e);
    }
    try {
      Collection<Node> nodes =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs((int) ms))
              .nodes()
              .get(ms + 1_000, TimeUnit.MILLISECONDS);
      if (nodes.isEmpty()) {
        throw new KafkaUnreachableException(
            "Kafka at " + bootstrap + " answered but lists no broker");
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw new KafkaUnreachableException(noAnswer(bootstrap, timeout) + tail, cause);
      }
      if (cause instanceof AuthenticationException) {
        throw new KafkaUnreachableException(refused(bootstrap, cause) + tail, cause);
      }
      throw new KafkaUnreachableException(
          "Kafka at " + bootstrap + " refused the connection: " + rootMessage(cause), cause);
    } catch (TimeoutException e) {
      throw new KafkaUnreachableException(noAnswer(bootstrap, timeout) + tail, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnreachableException("interrupted checking Kafka at " + bootstrap, e);
    } finally {
      admin.close(Duration.ZERO);
    }
  }

  /** Why an authentication (SASL or TLS) failed, in one sentence. */
  private static String refused(String bootstrap, Throwable cause) {
    if (cause instanceof SslAuthenticationException) {
      return "the TLS handshake with Kafka at "
          + bootstrap
          + " failed ("
          + rootMessage(cause)
          + "; is its certificate trusted by ssl.truststore.*?)";
    }
    if (cause instanceof SaslAuthenticationException) {
      return "Kafka at "
          + bootstrap
          + " refused the credentials (SASL authentication failed: "
          + cause.getMessage()
          + ")";
    }
    return "Kafka at " + bootstrap + " refused the authentication: " + rootMessage(cause);
  }

  private static String noAnswer(String bootstrap, Duration timeout) {
    return "no Kafka answered at "
        + bootstrap
        + " within "
        + timeout.toSeconds()
        + " s (the port accepts connections: is it a Kafka listener, and does it need TLS or"
        + " SASL settings?)";
  }

  /** Null when a TCP connection could be made, else why not. */
  private static String tcpProbe(InetSocketAddress unresolved, int timeoutMs) {
    String where = unresolved.getHostString() + ":" + unresolved.getPort();
    InetSocketAddress a = new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
    if (a.isUnresolved()) {
      return "unknown host " + unresolved.getHostString();
    }
    try (Socket s = new Socket()) {
      s.connect(a, timeoutMs);
      return null;
    } catch (ConnectException e) {
      return "nothing listens on " + where + " (connection refused)";
    } catch (NoRouteToHostException e) {
      return "no route to " + where;
    } catch (SocketTimeoutException e) {
      return "no answer from " + where + " within " + timeoutMs / 1000 + " s";
    } catch (UnknownHostException e) {
      return "unknown host " + unresolved.getHostString();
    } catch (IOException e) {
      return where + ": " + e.getMessage();
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return m == null || m.isBlank() ? c.getClass().getSimpleName() : m;
  }
}
