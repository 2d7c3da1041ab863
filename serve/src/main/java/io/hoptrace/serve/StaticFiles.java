package io.hoptrace.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The page: files bundled in the jar under {@value #ROOT} ({@code /} is {@code index.html}). Only
 * the names in {@link #TYPES} are served; nothing is fetched from elsewhere, so the page works
 * offline.
 */
final class StaticFiles implements HttpHandler {
  static final String ROOT = "/io/hoptrace/serve/web/";
  static final Map<String, String> TYPES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "app.js", "text/javascript; charset=utf-8",
          "hoppath.js", "text/javascript; charset=utf-8",
          "app.css", "text/css; charset=utf-8");

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String name = ex.getRequestURI().getPath().substring(1);
      if (name.isEmpty()) {
        name = "index.html";
      }
      String type = TYPES.get(name);
      if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
        Responses.send(ex, 405, Json.error("method " + ex.getRequestMethod() + ": only GET"));
        return;
      }
      if (type == null) {
        Responses.send(ex, 404, Json.error("no such page: /" + name));
        return;
      }
      byte[] body;
      try (InputStream in = StaticFiles.class.getResourceAsStream(ROOT + name)) {
        if (in == null) {
          throw new IllegalStateException("resource " + ROOT + name + " missing from the jar");
        }
        body = in.readAllBytes();
      }
      ex.getResponseHeaders().set("Content-Type", type);
      ex.sendResponseHeaders(200, ex.getRequestMethod().equals("HEAD") ? -1 : body.length);
      if (!ex.getRequestMethod().equals("HEAD")) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }
}
