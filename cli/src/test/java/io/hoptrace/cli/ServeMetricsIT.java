package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve --metrics-port}'s scrape passes {@code promtool check metrics} (Debian's tool). */
class ServeMetricsIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path store;

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void serveMetricsPassPromtool() throws Exception {
    assumeTrue(
        Files.isExecutable(MetricsIT.PROMTOOL),
        "needs promtool (Debian package prometheus; .ci/run installs it)");
    CommandLine cl = Main.commandLine();
    ServeCommand serve = (ServeCommand) cl.getSubcommands().get("serve").getCommand();
    int[] exit = {-1};
    Thread t =
        new Thread(
            () ->
                exit[0] =
                    cl.execute(
                        "serve",
                        "--store",
                        store.toString(),
                        "--port",
                        "0",
                        "--metrics-port",
                        "0",
                        "--metrics-bind",
                        "127.0.0.1"),
            "serve-metrics-it");
    t.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (serve.metricsUrl == null && t.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(serve.metricsUrl).as("metrics served").isNotNull();
      String base = serve.server.url();
      assertThat(get(base + "api/status").statusCode()).isEqualTo(200);
      assertThat(get(base + "api/nothing").statusCode()).isEqualTo(404);
      String scrape = get(serve.metricsUrl).body();
      assertThat(scrape).contains("hoptrace_http_requests_seconds_count");
      MetricsIT.check(scrape);
    } finally {
      serve.stop.countDown();
      t.join(10_000);
    }
    assertThat(exit[0]).isZero();
  }
}
