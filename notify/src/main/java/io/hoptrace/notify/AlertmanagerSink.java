package io.hoptrace.notify;

import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Posts alert records to Alertmanager's API v2 ({@link AlertmanagerPayload} says what a record
 * becomes): each record as it comes, and every firing alert again each {@code resendInterval}
 * (Alertmanager resolves an alert not posted again within its {@code resolve_timeout}, 5 min by
 * default; Prometheus re-sends every minute). Delivery on a thread of its own with back-off ({@link
 * Delivery}); HTTP 4xx answers are rejections, not retried.
 */
public final class AlertmanagerSink implements AlertSink {
  /** Alerts per POST when re-sending the firing ones. */
  private static final int BATCH = 100;

  private final URI base;
  private final URI endpoint;
  private final HttpClient http;
  private final Delivery<List<Alert>> delivery;
  private final Map<String, Alert> firing = new LinkedHashMap<>();
  private final ScheduledExecutorService resend;

  private AlertmanagerSink(URI base, Duration resendInterval) {
    this.base = base;
    this.endpoint = URI.create(base.toString() + "/api/v2/alerts");
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.delivery =
        new Delivery<>(
            "Alertmanager " + base,
            10_000,
            Duration.ofMillis(500),
            Duration.ofSeconds(30),
            this::post);
    this.resend =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "hoptrace-alertmanager-resend");
              t.setDaemon(true);
              return t;
            });
    long ms = resendInterval.toMillis();
    resend.scheduleAtFixedRate(this::resendFiring, ms, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * A sink posting to Alertmanager at {@code url} (its base URL, e.g. {@code
   * http://127.0.0.1:9093}), firing alerts re-sent every minute.
   *
   * @throws IllegalArgumentException naming {@code --alertmanager} when the URL is not http(s) with
   *     a host
   */
  public static AlertmanagerSink open(String url) {
    return open(url, Duration.ofMinutes(1));
  }

  /** As {@link #open(String)}, firing alerts re-sent every {@code resendInterval}. */
  public static AlertmanagerSink open(String url, Duration resendInterval) {
    if (resendInterval.isNegative() || resendInterval.isZero()) {
      throw new IllegalArgumentException("Alertmanager re-send interval must be positive");
    }
    return new AlertmanagerSink(parse(url), resendInterval);
  }

  static URI parse(String url) {
    URI u;
    try {
      u = new URI(url == null ? "" : url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--alertmanager: not a URL: " + url);
    }
    if (u.getScheme() == null
        || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
        || u.getHost() == null) {
      throw new IllegalArgumentException(
          "--alertmanager: expected http(s)://HOST[:PORT][/PATH], got " + url);
    }
    String s = u.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }

  @Override
  public void accept(Alert a) {
    synchronized (firing) {
      if (a.getStatus() == AlertStatus.FIRING) {
        firing.put(a.getId(), a);
      } else {
        firing.remove(a.getId());
      }
    }
    delivery.offer(List.of(a));
  }

  @Override
  public void restore(Alert firing) {
    accept(firing);
  }

  /** Alerts now firing as far as this sink knows (posted again periodically). */
  public int firing() {
    synchronized (firing) {
      return firing.size();
    }
  }

  /** Posts every firing alert again (the periodic re-send; callable at any time). */
  public void resendFiring() {
    List<Alert> all;
    synchronized (firing) {
      all = new ArrayList<>(firing.values());
    }
    for (int i = 0; i < all.size(); i += BATCH) {
      delivery.offer(List.copyOf(all.subList(i, Math.min(all.size(), i + BATCH))));
    }
  }

  private void post(List<Alert> batch) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    AlertmanagerPayload.json(batch, java.time.Instant.now())))
            .build();
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    int code = r.statusCode();
    if (code / 100 == 2) {
      return;
    }
    String body = r.body() == null ? "" : r.body().strip();
    if (body.length() > 200) {
      body = body.substring(0, 200) + "...";
    }
    if (code / 100 == 4) {
      throw new Delivery.Rejected("HTTP " + code + " from " + endpoint + ": " + body);
    }
    throw new IOException("HTTP " + code + " from " + endpoint + ": " + body);
  }

  @Override
  public boolean flush(Duration timeout) throws InterruptedException {
    return delivery.flush(timeout);
  }

  @Override
  public String describe() {
    return "Alertmanager " + base;
  }

  @Override
  public Stats stats() {
    return delivery.stats();
  }

  @Override
  public void close() {
    resend.shutdownNow();
    delivery.close(Duration.ofSeconds(5));
  }
}
