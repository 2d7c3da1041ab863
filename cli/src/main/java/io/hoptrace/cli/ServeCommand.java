package io.hoptrace.cli;

import io.hoptrace.schema.Topics;
import io.hoptrace.serve.ApiServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hoptrace serve}: the HTTP API and the hop-path page over a flow store. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the flow store over HTTP: the page at / (alerts, flow search, a flow's hop path) and"
          + " the JSON API /api/alerts, /api/flows, /api/flows/{conversationId}, /api/incidents;"
          + " with --bootstrap also live alerts (/api/alerts/stream, server-sent events) from the"
          + " alerts topic. Ctrl-C to stop."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--store",
      paramLabel = "DIR",
      description =
          "The flow store that demo/analyze --store wrote (default: "
              + StoreReadOptions.DEFAULT_STORE
              + "; without --store and --bootstrap given, a missing default store is left out).")
  Path store;

  @Option(
      names = "--bootstrap",
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers: push the alerts topic's new alerts to the page.")
  String bootstrap;

  @Option(
      names = "--topic-prefix",
      defaultValue = Topics.DEFAULT_PREFIX,
      paramLabel = "PREFIX",
      description = "With --bootstrap: the topics' prefix (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "8080",
      description = "TCP port (default: ${DEFAULT-VALUE}; 0: any free port).")
  int port;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  String bind;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Serve this server's metrics (HTTP requests by route and status, live stream clients,"
              + " JVM) at http://HOST:PORT/metrics (Prometheus; 0: any free port).")
  Integer metricsPort;

  @Option(
      names = "--metrics-bind",
      paramLabel = "HOST",
      defaultValue = "0.0.0.0",
      description = "Address the metrics endpoint binds (default: ${DEFAULT-VALUE}).")
  String metricsBind;

  /** Counted down to stop serving (tests); Ctrl-C otherwise. */
  final CountDownLatch stop = new CountDownLatch(1);

  /** The running server, once started (tests read its URL). */
  volatile ApiServer server;

  /** Where the metrics are served, once started with {@code --metrics-port}. */
  volatile String metricsUrl;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port " + port + ": must be 0..65535");
    }
    if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
      throw new IllegalArgumentException("--metrics-port " + metricsPort + ": must be 0..65535");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--bind " + bind + ": unknown address", e);
    }
    Topics topics;
    try {
      topics = Topics.withPrefix(topicPrefix);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--topic-prefix: " + e.getMessage(), e);
    }
    Path dir = store != null ? store : Path.of(StoreReadOptions.DEFAULT_STORE);
    if (!Files.isDirectory(dir)) {
      if (store != null || bootstrap == null) {
        throw new IllegalArgumentException("--store " + dir + ": no such directory");
      }
      dir = null;
    }
    Thread hook = new Thread(stop::countDown, "hoptrace-serve-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    PrometheusMeterRegistry registry = metricsPort == null ? null : MetricsServer.newRegistry();
    try (ApiServer s =
            ApiServer.start(
                new InetSocketAddress(address, port),
                dir,
                bootstrap,
                bootstrap == null ? null : topics.alerts(),
                registry);
        MetricsServer m = registry == null ? null : startMetrics(registry)) {
      server = s;
      if (m != null) {
        metricsUrl = "http://" + metricsBind + ":" + m.port() + "/metrics";
        err.println("hoptrace serve: metrics on " + metricsUrl);
      }
      err.println(
          "hoptrace serve: "
              + s.url()
              + (dir == null ? " (no store)" : " (store " + dir + ")")
              + (bootstrap == null ? "" : " with live alerts from " + topics.alerts())
              + "; Ctrl-C to stop");
      err.flush();
      stop.await();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is running
      }
    }
    return 0;
  }

  private MetricsServer startMetrics(PrometheusMeterRegistry registry) {
    try {
      return MetricsServer.start(registry, metricsBind, metricsPort);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "--metrics-port "
              + metricsPort
              + ": cannot listen on "
              + metricsBind
              + ":"
              + metricsPort
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
