package io.hoptrace.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.hoptrace.history.AlertFilter;
import io.hoptrace.schema.AlertStatus;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Live alerts as server-sent events, in the shape of the store's alert rows. */
class AlertStreamTest {
  @Test
  void aLiveAlertHasTheColumnsOfAStoredOne() {
    JsonNode a = LiveAlerts.json(BlockedFlowStore.alert(AlertStatus.FIRING, 1));
    List<String> names = new ArrayList<>();
    a.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyElementsOf(AlertFilter.COLUMNS);
    assertThat(a.path("first_seen").asText()).isEqualTo("2026-12-04T13:10:01Z");
    assertThat(a.path("lost_before").asText()).isEqualTo("node-b/flannel.1");
    assertThat(a.path("conversation_id").asText()).isEqualTo(BlockedFlowStore.BLOCKED);
  }

  @Test
  void publishedAlertsReachAConnectedClientAsEvents() throws Exception {
    AlertStream stream = new AlertStream();
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    http.setExecutor(Executors.newCachedThreadPool());
    http.createContext("/s", ex -> stream.serve(ex));
    http.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/s");
      HttpResponse<InputStream> r =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
      BufferedReader in =
          new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo(": connected");
      assertThat(stream.clients()).isEqualTo(1);
      stream.publish(LiveAlerts.json(BlockedFlowStore.alert(AlertStatus.FIRING, 1)));
      stream.publish(LiveAlerts.json(BlockedFlowStore.alert(AlertStatus.RESOLVED, 9)));
      List<String> statuses = new ArrayList<>();
      String line;
      while (statuses.size() < 2 && (line = in.readLine()) != null) {
        if (line.startsWith("data: ")) {
          statuses.add(Json.MAPPER.readTree(line.substring(6)).path("status").asText());
        } else {
          assertThat(line).isIn("", "event: alert");
        }
      }
      assertThat(statuses).containsExactly("FIRING", "RESOLVED");
      stream.close();
      // the stream ends after close
      while ((line = in.readLine()) != null) {
        assertThat(line).doesNotStartWith("data: ");
      }
      r.body().close();
    } finally {
      http.stop(0);
    }
  }
}
