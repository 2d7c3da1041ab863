package io.hoptrace.cli;

import com.sun.net.httpserver.HttpServer;
import io.hoptrace.metrics.JvmMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Serves {@code /metrics} in the Prometheus exposition format from a Micrometer registry, on the
 * JDK's built-in HTTP server (one endpoint needs nothing heavier).
 */
final class MetricsServer implements AutoCloseable {

  private final PrometheusMeterRegistry registry;
  private final HttpServer server;

  private MetricsServer(PrometheusMeterRegistry registry, HttpServer server) {
    this.registry = registry;
    this.server = server;
  }

  /**
   * A registry to record into, with the JVM's metrics ({@link JvmMetrics}); serve it with {@link
   * #start}.
   */
  static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    JvmMetrics.bind(r);
    return r;
  }

  /** Serves {@code registry} on {@code host:port} (port 0: any free port). */
  static MetricsServer start(PrometheusMeterRegistry registry, String host, int port)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return new MetricsServer(registry, server);
  }

  int port() {
    return server.getAddress().getPort();
  }

  PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
