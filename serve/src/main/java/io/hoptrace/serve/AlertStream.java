package io.hoptrace.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Live alerts to browsers as server-sent events ({@code event: alert}, one JSON object per event).
 * {@link #publish} hands an alert to every connected client's queue; each client's request thread
 * writes its queue out, with a comment line every {@link #KEEPALIVE_SECONDS} s so a closed
 * connection is noticed. A client that falls {@link #BACKLOG} events behind is dropped (it
 * reconnects; EventSource does so by itself).
 */
final class AlertStream {
  static final int KEEPALIVE_SECONDS = 15;
  static final int BACKLOG = 1000;
  private static final JsonNode CLOSE = Json.MAPPER.nullNode();

  private final Set<BlockingQueue<JsonNode>> clients = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicLong published =
      new java.util.concurrent.atomic.AtomicLong();

  /** Sends an alert to every client connected now. */
  void publish(JsonNode alert) {
    published.addAndGet(clients.size());
    for (BlockingQueue<JsonNode> q : clients) {
      if (!q.offer(alert)) {
        clients.remove(q);
        q.clear();
        q.offer(CLOSE);
      }
    }
  }

  /** Alerts sent to clients so far (an alert sent to two clients counts twice). */
  long published() {
    return published.get();
  }

  /** The number of clients connected. */
  int clients() {
    return clients.size();
  }

  /** Serves one client until it goes away or the stream is closed. */
  void serve(HttpExchange ex) throws IOException {
    BlockingQueue<JsonNode> q = new LinkedBlockingQueue<>(BACKLOG);
    ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.sendResponseHeaders(200, 0);
    clients.add(q);
    try (OutputStream out = ex.getResponseBody()) {
      write(out, ": connected\n\n");
      while (!closed) {
        JsonNode a = q.poll(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
        if (a == CLOSE) {
          break;
        }
        write(out, a == null ? ": keep-alive\n\n" : "event: alert\ndata: " + a + "\n\n");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client went away
    } finally {
      clients.remove(q);
    }
  }

  private static void write(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Ends every client's stream. */
  void close() {
    closed = true;
    for (BlockingQueue<JsonNode> q : clients) {
      q.clear();
      q.offer(CLOSE);
    }
  }
}
