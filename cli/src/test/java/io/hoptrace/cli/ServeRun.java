package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * {@code hoptrace serve ARGS} running in this JVM on a thread of its own until closed (then its
 * exit code is checked to be 0): for tests that talk to the server over HTTP.
 */
final class ServeRun implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final ServeCommand serve;
  private final Thread thread;
  private final int[] exit = {-1};

  /** Starts serve and waits (≤ 30 s) until it listens, and its metrics too when asked for. */
  ServeRun(String... args) throws InterruptedException {
    CommandLine cl = Main.commandLine();
    serve = (ServeCommand) cl.getSubcommands().get("serve").getCommand();
    String[] all = new String[args.length + 1];
    all[0] = "serve";
    System.arraycopy(args, 0, all, 1, args.length);
    boolean metrics = java.util.List.of(args).contains("--metrics-port");
    thread = new Thread(() -> exit[0] = cl.execute(all), "serve-run");
    thread.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while ((serve.server == null || (metrics && serve.metricsUrl == null))
        && thread.isAlive()
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(serve.server).as("serve started").isNotNull();
    if (metrics) {
      assertThat(serve.metricsUrl).as("metrics served").isNotNull();
    }
  }

  /** The page's URL, e.g. {@code http://127.0.0.1:PORT/}. */
  String base() {
    return serve.server.url();
  }

  /** GET of a URL. */
  static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws InterruptedException {
    serve.stop.countDown();
    thread.join(10_000);
    assertThat(exit[0]).as("serve's exit code").isZero();
  }
}
