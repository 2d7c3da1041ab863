package io.hoptrace.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * {@code --metrics-port N} and {@code --metrics-bind HOST}: where a long-running command serves its
 * metrics (what it records into the registry, and the JVM's) in the Prometheus format. One
 * declaration for the job commands ({@link JobMetricsOptions}) and {@code serve}.
 */
final class MetricsEndpointOptions {
  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Serve metrics at http://HOST:PORT/metrics (Prometheus; 0: any free port): this"
              + " command's (see its description) and the JVM's.")
  Integer port;

  @Option(
      names = "--metrics-bind",
      paramLabel = "HOST",
      defaultValue = "0.0.0.0",
      description = "Address the metrics endpoint binds (default: ${DEFAULT-VALUE}).")
  String bind = "0.0.0.0";

  /** Whether {@code --metrics-port} was given. */
  boolean enabled() {
    return port != null;
  }

  /** Checks the values before anything starts. */
  void validate() {
    if (port != null && (port < 0 || port > 65535)) {
      throw new IllegalArgumentException("--metrics-port must be 0-65535, got " + port);
    }
  }

  /**
   * Serves {@code registry} and says where on {@code err} ({@code hoptrace COMMAND: metrics on
   * URL}); a port that cannot be bound is one line naming it.
   */
  MetricsServer start(PrometheusMeterRegistry registry, String command, PrintWriter err) {
    MetricsServer server;
    try {
      server = MetricsServer.start(registry, bind, port);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "--metrics-port "
              + port
              + ": cannot listen on "
              + bind
              + ":"
              + port
              + ": "
              + e.getMessage(),
          e);
    }
    err.println("hoptrace " + command + ": metrics on " + url(server));
    err.flush();
    return server;
  }

  /** The URL of a server started by {@link #start}. */
  String url(MetricsServer server) {
    return "http://" + bind + ":" + server.port() + "/metrics";
  }
}
