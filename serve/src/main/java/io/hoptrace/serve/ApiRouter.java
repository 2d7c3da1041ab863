package io.hoptrace.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.hoptrace.history.QueryException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/...}: routes a request to the store or the live stream and maps failures to one-line
 * JSON errors — 400 for a bad parameter, 404 for an unknown path or flow, 503 for what this server
 * was not started with (no store, no {@code --bootstrap}), 500 otherwise.
 */
final class ApiRouter implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ApiRouter.class);
  static final String FLOWS = "/api/flows/";

  private final StoreApi store;
  private final AlertStream stream;

  /**
   * @param store null when serving without a store; @param stream null without live alerts
   */
  ApiRouter(StoreApi store, AlertStream stream) {
    this.store = store;
    this.stream = stream;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("GET")) {
        Responses.send(ex, 405, Json.error("method " + ex.getRequestMethod() + ": only GET"));
        return;
      }
      String path = ex.getRequestURI().getPath();
      if (path.equals("/api/alerts/stream")) {
        if (stream == null) {
          Responses.send(
              ex, 503, Json.error("no live alerts: serve was started without --bootstrap"));
        } else {
          stream.serve(ex);
        }
        return;
      }
      answer(ex, path);
    } catch (IOException e) {
      LOG.debug("client went away: {}", e.toString());
    }
  }

  private void answer(HttpExchange ex, String path) throws IOException {
    try {
      if (path.equals("/api/status")) {
        Responses.send(ex, 200, status());
      } else if (path.equals("/api/incidents")) {
        Responses.send(ex, 200, store().incidents(ex.getRequestURI()));
      } else if (path.equals("/api/alerts")) {
        Responses.send(ex, 200, store().alerts(ex.getRequestURI()));
      } else if (path.equals("/api/flows")) {
        Responses.send(ex, 200, store().flows(ex.getRequestURI()));
      } else if (path.startsWith(FLOWS) && path.length() > FLOWS.length()) {
        String id = URLDecoder.decode(path.substring(FLOWS.length()), StandardCharsets.UTF_8);
        Params.of(ex.getRequestURI(), java.util.Set.of());
        JsonNode flow = store().flow(id).orElse(null);
        if (flow == null) {
          Responses.send(ex, 404, Json.error("flow '" + id + "': not in the store"));
        } else {
          Responses.send(ex, 200, flow);
        }
      } else {
        Responses.send(ex, 404, Json.error("no such endpoint: " + path));
      }
    } catch (BadRequest e) {
      Responses.send(ex, 400, Json.error(e.getMessage()));
    } catch (NoStore e) {
      Responses.send(ex, 503, Json.error(e.getMessage()));
    } catch (QueryException | IllegalArgumentException | IllegalStateException e) {
      LOG.warn("{}: {}", path, e.getMessage());
      Responses.send(ex, 500, Json.error(firstLine(e.getMessage())));
    }
  }

  private ObjectNode status() {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("store", store == null ? null : store.store().toString());
    o.put("live", stream != null);
    return o;
  }

  private StoreApi store() {
    if (store == null) {
      throw new NoStore();
    }
    return store;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "internal error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** The server has no store to answer from. */
  private static final class NoStore extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NoStore() {
      super("no flow store: serve was started without --store");
    }
  }
}
