package io.hoptrace.cli;

import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.Topics;
import io.hoptrace.serve.ApiServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin MetricsEndpointOptions metrics = new MetricsEndpointOptions();

  @Mixin KafkaConnectOptions connect = new KafkaConnectOptions();

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
    metrics.validate();
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
    KafkaClientSettings kafka = connect.validate(bootstrap);
    Path dir = store != null ? store : Path.of(StoreReadOptions.DEFAULT_STORE);
    if (!Files.isDirectory(dir)) {
      if (store != null || bootstrap == null) {
        throw new IllegalArgumentException("--store " + dir + ": no such directory");
      }
      dir = null;
    }
    if (kafka != null) {
      connect.check(kafka, kafka.client());
    }
    Thread hook = new Thread(stop::countDown, "hoptrace-serve-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    PrometheusMeterRegistry registry = metrics.enabled() ? MetricsServer.newRegistry() : null;
    try (ApiServer s =
            ApiServer.start(
                new InetSocketAddress(address, port),
                dir,
                kafka,
                bootstrap == null ? null : topics.alerts(),
                registry);
        MetricsServer m = registry == null ? null : metrics.start(registry, "serve", err)) {
      server = s;
      if (m != null) {
        metricsUrl = metrics.url(m);
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
}
