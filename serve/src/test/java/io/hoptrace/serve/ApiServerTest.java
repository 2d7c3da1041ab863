package io.hoptrace.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API over a store written in the test, through real HTTP on a free port. */
class ApiServerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path store;
  private ApiServer server;

  @BeforeEach
  void start() throws Exception {
    BlockedFlowStore.write(store);
    server =
        ApiServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), store, null, null);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(server.url()).resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(String path, int status) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return Json.MAPPER.readTree(r.body());
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.path(field).asText()));
    return out;
  }

  @Test
  void bindsTheLoopbackAddressAskedFor() {
    assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(server.url()).startsWith("http://127.0.0.1:");
  }

  @Test
  void flowsTakeTheFiltersOfTheFlowsCommand() throws Exception {
    JsonNode oneWay = json("/api/flows?dst=10.244.1.0/24&verdict=one_way&port=8080", 200);
    assertThat(texts(oneWay, "conversation_id")).containsExactly(BlockedFlowStore.BLOCKED);
    assertThat(oneWay.get(0).path("lost_after").asText()).isEqualTo("node-b/ens33");
    assertThat(oneWay.get(0).path("lost_before").asText()).isEqualTo("node-b/flannel.1");
    assertThat(oneWay.get(0).path("first_seen").asText()).isEqualTo("2026-12-04T13:10:00Z");

    assertThat(texts(json("/api/flows?src=10.244.0.2", 200), "conversation_id"))
        .containsExactlyInAnyOrder(BlockedFlowStore.BLOCKED, BlockedFlowStore.ANSWERED);
    assertThat(json("/api/flows?lostAt=node-b/flannel.1&limit=5", 200)).hasSize(1);
    assertThat(json("/api/flows?since=2026-12-04T14:00:00Z", 200)).isEmpty();
    assertThat(json("/api/flows?until=2026-12-04T13:00:00Z", 200)).isEmpty();
    assertThat(json("/api/flows?verdict=&src=", 200)).hasSize(2); // empty form fields: absent
  }

  @Test
  void aFlowHasItsHopPathBothWaysWithTheLostAtSegmentAndItsAlerts() throws Exception {
    JsonNode d =
        json(
            "/api/flows/" + URLEncoder.encode(BlockedFlowStore.BLOCKED, StandardCharsets.UTF_8),
            200);
    assertThat(d.path("flow").path("verdict").asText()).isEqualTo("ONE_WAY");
    assertThat(d.path("flow").path("tcp_state").asText()).isEqualTo("S");
    assertThat(d.path("lostAt").path("after").asText()).isEqualTo("node-b/ens33");
    assertThat(d.path("lostAt").path("before").asText()).isEqualTo("node-b/flannel.1");
    assertThat(d.path("lostAt").path("direction").asText()).isEqualTo("forward");
    assertThat(d.path("lostAt").path("hint").asText()).isEqualTo(BlockedFlowStore.HINT);
    assertThat(texts(d.path("path").path("forward"), "hop"))
        .containsExactlyElementsOf(BlockedFlowStore.PATH);
    assertThat(texts(d.path("path").path("forward"), "packets")).containsOnly("3");
    assertThat(texts(d.path("path").path("reverse"), "hop"))
        .containsExactly("node-b/ens33", "node-a/ens33", "node-a/cni0", "node-a/pod-a1/eth0");
    assertThat(texts(d.path("path").path("reverse"), "packets")).containsOnly("0");
    assertThat(texts(d.path("alerts"), "status")).containsExactly("RESOLVED");
    assertThat(texts(d.path("alerts"), "type")).containsExactly("ONE_WAY");

    JsonNode ok =
        json(
            "/api/flows/" + URLEncoder.encode(BlockedFlowStore.ANSWERED, StandardCharsets.UTF_8),
            200);
    assertThat(ok.path("lostAt").isNull()).isTrue();
    assertThat(ok.path("alerts")).isEmpty();
    // the reply's packets per hop, in the order it travels: node-b first
    assertThat(texts(ok.path("path").path("reverse"), "packets"))
        .containsExactly("4", "3", "3", "3");
  }

  @Test
  void alertsAreFilteredByStatusTypeAndTime() throws Exception {
    JsonNode all = json("/api/alerts", 200);
    assertThat(texts(all, "id")).containsExactly("a-blocked");
    assertThat(all.get(0).path("status").asText()).isEqualTo("RESOLVED");
    assertThat(all.get(0).path("hint").asText()).isEqualTo(BlockedFlowStore.HINT);
    assertThat(json("/api/alerts?status=resolved&type=ONE_WAY", 200)).hasSize(1);
    assertThat(json("/api/alerts?status=FIRING", 200)).isEmpty();
    assertThat(json("/api/alerts?type=DNS_FAILURE", 200)).isEmpty();
    assertThat(json("/api/alerts?since=2026-12-04T13:10:05Z", 200)).hasSize(1);
    assertThat(json("/api/alerts?since=2026-12-04T13:11:00Z", 200)).isEmpty();
  }

  @Test
  void badParametersAre400WithOneLineNamingTheParameter() throws Exception {
    String[][] cases = {
      {"/api/flows?port=http", "parameter 'port': 'http': not an integer"},
      {"/api/flows?port=70000", "parameter 'port': 70000: must be 0..65535"},
      {"/api/flows?src=pod-a1", "parameter 'src': 'pod-a1': not an IP address or IPv4 CIDR"},
      {"/api/flows?lostAt=ens33", "parameter 'lostAt': 'ens33': not a hop id"},
      {"/api/flows?limit=0", "parameter 'limit': 0: must be >= 1"},
      {"/api/flows?since=yesterday", "parameter 'since': 'yesterday': not a time"},
      {"/api/flows?since=2026-12-05&until=2026-12-04", "parameters 'since'/'until': since"},
      {"/api/flows?dest=10.0.0.1", "parameter 'dest': unknown (allowed: src, dst, port"},
      {"/api/flows?port=1&port=2", "parameter 'port': given more than once"},
      {"/api/alerts?status=open", "parameter 'status': 'open': not one of [FIRING, RESOLVED]"},
      {"/api/alerts?type=LOSS", "parameter 'type': 'LOSS': not one of [ONE_WAY"},
      {"/api/flows/x?verbose=1", "parameter 'verbose': unknown"},
    };
    for (String[] c : cases) {
      String error = json(c[0], 400).path("error").asText();
      assertThat(error).as(c[0]).startsWith(c[1]).doesNotContain("\n");
    }
  }

  @Test
  void incidentsAreListedAsTheyLastStood() throws Exception {
    JsonNode all = json("/api/incidents", 200);
    assertThat(all).hasSize(1);
    JsonNode i = all.get(0);
    assertThat(i.path("id").asText()).isEqualTo(BlockedFlowStore.INCIDENT);
    assertThat(i.path("status").asText()).isEqualTo("RESOLVED");
    assertThat(i.path("cause").asText()).isEqualTo(BlockedFlowStore.HINT);
    assertThat(i.path("lost_after").asText()).isEqualTo("node-b/ens33");
    assertThat(i.path("alert_ids")).hasSize(1);
    assertThat(i.path("alert_ids").get(0).asText()).isEqualTo("a-blocked");
    assertThat(i.path("firing_alert_ids")).isEmpty();
    assertThat(i.path("last_seen").asText()).isEqualTo("2026-12-04T13:10:09Z");
    assertThat(json("/api/incidents?status=FIRING", 200)).isEmpty();
    assertThat(json("/api/incidents?status=resolved&since=2026-12-04T13:10:05Z", 200)).hasSize(1);
    assertThat(json("/api/incidents?since=2026-12-04T13:20:00Z", 200)).isEmpty();
    assertThat(json("/api/incidents?limit=0", 400).path("error").asText())
        .startsWith("parameter 'limit'");
    assertThat(json("/api/incidents?type=ONE_WAY", 400).path("error").asText())
        .startsWith("parameter 'type': unknown");
  }

  @Test
  void otherAnswersSayWhy() throws Exception {
    assertThat(json("/api/flows/nope", 404).path("error").asText())
        .isEqualTo("flow 'nope': not in the store");
    assertThat(json("/api/alerts/stream", 503).path("error").asText())
        .contains("without --bootstrap");
    assertThat(json("/api/nothing", 404).path("error").asText())
        .isEqualTo("no such endpoint: /api/nothing");
    JsonNode status = json("/api/status", 200);
    assertThat(status.path("store").asText()).isEqualTo(store.toString());
    assertThat(status.path("live").asBoolean()).isFalse();
  }

  @Test
  void thePageIsServedFromTheJar() throws Exception {
    HttpResponse<String> index = get("/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(index.body()).contains("<script src=\"hoppath.js\">").doesNotContain("http");
    for (String file : List.of("app.js", "hoppath.js", "app.css")) {
      HttpResponse<String> r = get("/" + file);
      assertThat(r.statusCode()).as(file).isEqualTo(200);
      // nothing fetched from elsewhere (the SVG namespace is a name, not a download)
      assertThat(r.body().replace("http://www.w3.org/2000/svg", ""))
          .as(file)
          .doesNotContain("https://", "http://");
    }
    assertThat(get("/hoppath.js").body()).contains("segment").contains("lost");
    assertThat(get("/secret.txt").statusCode()).isEqualTo(404);
    assertThat(get("/../pom.xml").statusCode()).isEqualTo(404);
  }

  @Test
  void filesWrittenAfterStartAreSeen(@TempDir Path later) throws Exception {
    try (ApiServer s =
        ApiServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), later, null, null)) {
      URI flows = URI.create(s.url()).resolve("/api/flows");
      HttpResponse.BodyHandler<String> body = HttpResponse.BodyHandlers.ofString();
      assertThat(
              Json.MAPPER.readTree(HTTP.send(HttpRequest.newBuilder(flows).build(), body).body()))
          .isEmpty();
      BlockedFlowStore.write(later);
      assertThat(
              Json.MAPPER.readTree(HTTP.send(HttpRequest.newBuilder(flows).build(), body).body()))
          .hasSize(2);
    }
  }
}
