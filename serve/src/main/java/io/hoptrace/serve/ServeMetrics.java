package io.hoptrace.serve;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;

/**
 * Metrics of {@code hoptrace serve} (Prometheus names with the registry's naming convention):
 * {@code hoptrace_http_requests_seconds{route,status}} — every request timed, by route (the
 * endpoint's template, so that flow ids never become label values: bounded cardinality) and
 * response status; {@code hoptrace_live_clients} — browsers on the live alert stream now; {@code
 * hoptrace_live_alerts_total} — alerts pushed to them.
 */
final class ServeMetrics extends Filter {
  private final MeterRegistry registry;

  private ServeMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Registers the gauges of {@code stream} (null: no live alerts) and returns the request filter.
   */
  static ServeMetrics register(MeterRegistry registry, AlertStream stream) {
    if (stream != null) {
      Gauge.builder("hoptrace.live.clients", stream, AlertStream::clients)
          .description("Browsers connected to the live alert stream")
          .register(registry);
      FunctionCounter.builder("hoptrace.live.alerts", stream, AlertStream::published)
          .description("Alerts pushed to the live alert stream's clients")
          .register(registry);
    }
    return new ServeMetrics(registry);
  }

  /** The route of a request path: the endpoint's template, never a flow id. */
  static String route(String path) {
    return switch (path) {
      case "/api/status", "/api/incidents", "/api/alerts", "/api/alerts/stream", "/api/flows" ->
          path;
      default -> {
        if (path.startsWith(ApiRouter.FLOWS) && path.length() > ApiRouter.FLOWS.length()) {
          yield "/api/flows/{conversationId}";
        }
        yield path.startsWith("/api/") ? "/api/other" : "/";
      }
    };
  }

  @Override
  public void doFilter(HttpExchange ex, Chain chain) throws IOException {
    Timer.Sample sample = Timer.start(registry);
    try {
      chain.doFilter(ex);
    } finally {
      int status = ex.getResponseCode();
      sample.stop(
          Timer.builder("hoptrace.http.requests")
              .description("HTTP requests served, by route and status")
              .tag("route", route(ex.getRequestURI().getPath()))
              .tag("status", status < 0 ? "none" : Integer.toString(status))
              .register(registry));
    }
  }

  @Override
  public String description() {
    return "hoptrace serve metrics";
  }
}
