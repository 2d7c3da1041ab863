package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --metrics-port}: the server's requests and the JVM in the Prometheus format. */
class ServeMetricsCommandTest {
  @TempDir Path store;

  @Test
  void servesRequestCountsByRouteAndTheJvm() throws Exception {
    try (ServeRun run = ServeRun.withMetrics(store)) {
      assertThat(run.serve.metricsUrl).startsWith("http://127.0.0.1:");
      String base = run.base();
      assertThat(ServeRun.get(base + "api/status").statusCode()).isEqualTo(200);
      assertThat(ServeRun.get(base + "api/status").statusCode()).isEqualTo(200);
      assertThat(ServeRun.get(base + "api/flows/some-conversation").statusCode()).isEqualTo(404);

      String scrape = ServeRun.get(run.serve.metricsUrl).body();
      assertThat(scrape)
          .contains("hoptrace_http_requests_seconds_count{route=\"/api/status\",status=\"200\"} 2")
          .contains(
              "hoptrace_http_requests_seconds_count{route=\"/api/flows/{conversationId}\","
                  + "status=\"404\"} 1")
          .contains("jvm_memory_used_bytes")
          .doesNotContain("some-conversation");
    }
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
