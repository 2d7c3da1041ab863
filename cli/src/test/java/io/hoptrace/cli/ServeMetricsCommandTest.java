package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve --metrics-port}: the server's requests and the JVM in the Prometheus format. */
class ServeMetricsCommandTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path store;

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesRequestCountsByRouteAndTheJvm() throws Exception {
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
            "serve-metrics-test");
    t.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (serve.metricsUrl == null && t.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(serve.metricsUrl).as("metrics served").startsWith("http://127.0.0.1:");
      String base = serve.server.url();
      assertThat(get(base + "api/status").statusCode()).isEqualTo(200);
      assertThat(get(base + "api/status").statusCode()).isEqualTo(200);
      assertThat(get(base + "api/flows/some-conversation").statusCode()).isEqualTo(404);

      String scrape = get(serve.metricsUrl).body();
      assertThat(scrape)
          .contains("hoptrace_http_requests_seconds_count{route=\"/api/status\",status=\"200\"} 2")
          .contains(
              "hoptrace_http_requests_seconds_count{route=\"/api/flows/{conversationId}\","
                  + "status=\"404\"} 1")
          .contains("jvm_memory_used_bytes")
          .doesNotContain("some-conversation");
    } finally {
      serve.stop.countDown();
      t.join(10_000);
    }
    assertThat(exit[0]).isZero();
  }

  @Test
  void aMetricsPortInUseIsNamed() throws IOException {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int p = busy.getLocalPort();
      CliRun r =
          CliRun.run(
              "serve",
              "--store",
              store.toString(),
              "--port",
              "0",
              "--metrics-port",
              String.valueOf(p),
              "--metrics-bind",
              "127.0.0.1");
      assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
      assertThat(r.err().strip())
          .startsWith(
              "hoptrace serve: error: --metrics-port " + p + ": cannot listen on 127.0.0.1:" + p)
          .doesNotContain("\n");
    }
  }
}
