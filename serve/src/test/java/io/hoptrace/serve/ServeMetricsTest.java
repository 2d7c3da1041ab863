package io.hoptrace.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests over real HTTP are counted by route template and status; flow ids never become labels.
 */
class ServeMetricsTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path store;

  private static int get(ApiServer s, String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(s.url()).resolve(path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static long count(SimpleMeterRegistry r, String route, String status) {
    var t = r.find("hoptrace.http.requests").tag("route", route).tag("status", status).timer();
    return t == null ? 0 : t.count();
  }

  @Test
  void requestsAreCountedByRouteAndStatus() throws Exception {
    BlockedFlowStore.write(store);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ApiServer s =
        ApiServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            store,
            null,
            null,
            registry)) {
      assertThat(get(s, "/api/alerts")).isEqualTo(200);
      assertThat(get(s, "/api/alerts")).isEqualTo(200);
      assertThat(get(s, "/api/flows/no-such-conversation")).isEqualTo(404);
      assertThat(get(s, "/api/flows/another-one")).isEqualTo(404);
      assertThat(get(s, "/api/flows?limit=x")).isEqualTo(400);
      assertThat(get(s, "/api/alerts/stream")).isEqualTo(503);
      assertThat(get(s, "/api/nothing-here")).isEqualTo(404);
      assertThat(get(s, "/")).isEqualTo(200);
    }
    assertThat(count(registry, "/api/alerts", "200")).isEqualTo(2);
    assertThat(count(registry, "/api/flows/{conversationId}", "404")).isEqualTo(2);
    assertThat(count(registry, "/api/flows", "400")).isEqualTo(1);
    assertThat(count(registry, "/api/alerts/stream", "503")).isEqualTo(1);
    assertThat(count(registry, "/api/other", "404")).isEqualTo(1);
    assertThat(count(registry, "/", "200")).isEqualTo(1);
    assertThat(registry.find("hoptrace.http.requests").timers())
        .allSatisfy(t -> assertThat(t.getId().getTag("route")).doesNotContain("another-one"));
    // no live stream without --bootstrap: no live gauges
    assertThat(registry.find("hoptrace.live.clients").gauge()).isNull();
  }

  @Test
  void routesAreTemplates() {
    assertThat(ServeMetrics.route("/api/flows/6|10.244.0.2|40000|10.244.1.3|80"))
        .isEqualTo("/api/flows/{conversationId}");
    assertThat(ServeMetrics.route("/api/flows")).isEqualTo("/api/flows");
    assertThat(ServeMetrics.route("/api/flows/")).isEqualTo("/api/other");
    assertThat(ServeMetrics.route("/app.js")).isEqualTo("/");
  }
}
