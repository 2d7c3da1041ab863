package io.hoptrace.serve;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import io.hoptrace.schema.KafkaClientSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code hoptrace serve}: the HTTP API over a flow store ({@code /api/...}, see {@link ApiRouter})
 * and the hop-path page ({@code /}), on the JDK's HTTP server. With a Kafka bootstrap it also
 * follows the alerts topic and pushes each alert to the page ({@code /api/alerts/stream},
 * server-sent events). Each request runs on its own thread (a live stream holds one while it is
 * open).
 */
public final class ApiServer implements AutoCloseable {
  private final HttpServer http;
  private final ExecutorService threads;
  private final AlertStream stream;
  private final LiveAlerts live;
  private final StoreApi store;

  private ApiServer(
      HttpServer http,
      ExecutorService threads,
      StoreApi store,
      AlertStream stream,
      LiveAlerts live) {
    this.http = http;
    this.store = store;
    this.threads = threads;
    this.stream = stream;
    this.live = live;
  }

  /**
   * Starts serving.
   *
   * @param address where to listen (port 0: any free port)
   * @param store the flow store, or null to serve live alerts only
   * @param kafka the Kafka of live alerts, or null for none
   * @param alertsTopic the alerts topic (used with {@code kafka})
   * @throws IllegalArgumentException naming the store when it is not a directory, or the address
   *     when it cannot be bound
   */
  public static ApiServer start(
      InetSocketAddress address, Path store, KafkaClientSettings kafka, String alertsTopic) {
    return start(address, store, kafka, alertsTopic, null);
  }

  /**
   * Starts serving, with the server's metrics ({@link ServeMetrics}: requests by route and status,
   * live stream clients) in {@code metrics} unless it is null.
   */
  public static ApiServer start(
      InetSocketAddress address,
      Path store,
      KafkaClientSettings kafka,
      String alertsTopic,
      MeterRegistry metrics) {
    if (store != null && !Files.isDirectory(store)) {
      throw new IllegalArgumentException("store " + store + ": no such directory");
    }
    HttpServer http;
    try {
      http = HttpServer.create(address, 64);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot listen on "
              + address.getHostString()
              + ":"
              + address.getPort()
              + ": "
              + e.getMessage(),
          e);
    }
    AlertStream stream = kafka == null ? null : new AlertStream();
    LiveAlerts live = null;
    if (kafka != null) {
      try {
        live = LiveAlerts.start(kafka, alertsTopic, stream);
      } catch (RuntimeException e) {
        http.stop(0);
        throw e;
      }
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "hoptrace-serve-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    http.setExecutor(threads);
    StoreApi api = store == null ? null : new StoreApi(store, Clock.systemUTC());
    HttpContext apiContext = http.createContext("/api/", new ApiRouter(api, stream));
    HttpContext pageContext = http.createContext("/", new StaticFiles());
    if (metrics != null) {
      ServeMetrics filter = ServeMetrics.register(metrics, stream);
      apiContext.getFilters().add(filter);
      pageContext.getFilters().add(filter);
    }
    http.start();
    return new ApiServer(http, threads, api, stream, live);
  }

  /** The address listened on (with the port chosen when 0 was asked for). */
  public InetSocketAddress address() {
    return http.getAddress();
  }

  /** The page's URL. */
  public String url() {
    InetSocketAddress a = address();
    String host =
        a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + a.getPort() + "/";
  }

  /** The number of browsers connected to the live stream. */
  public int liveClients() {
    return stream == null ? 0 : stream.clients();
  }

  @Override
  public void close() {
    if (live != null) {
      live.close();
    }
    if (stream != null) {
      stream.close();
    }
    http.stop(0);
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (store != null) {
      store.close();
    }
  }
}
