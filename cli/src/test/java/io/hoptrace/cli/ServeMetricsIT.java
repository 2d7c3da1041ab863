package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    try (ServeRun run =
        new ServeRun(
            "--store",
            store.toString(),
            "--port",
            "0",
            "--metrics-port",
            "0",
            "--metrics-bind",
            "127.0.0.1")) {
      String base = run.base();
      assertThat(ServeRun.get(base + "api/status").statusCode()).isEqualTo(200);
      assertThat(ServeRun.get(base + "api/nothing").statusCode()).isEqualTo(404);
      String scrape = ServeRun.get(run.serve.metricsUrl).body();
      assertThat(scrape).contains("hoptrace_http_requests_seconds_count");
      MetricsIT.check(scrape);
    }
  }
}
