package io.hoptrace.serve;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A request's query parameters, checked: unknown or repeated names are refused, and {@link #apply}
 * turns a setter's {@link IllegalArgumentException} into a {@link BadRequest} naming the parameter.
 * Empty values count as absent (an HTML form sends every field).
 */
final class Params {
  private final Map<String, String> values;

  private Params(Map<String, String> values) {
    this.values = values;
  }

  /** The query parameters of {@code uri}, each name one of {@code allowed}. */
  static Params of(URI uri, Set<String> allowed) {
    Map<String, String> values = new LinkedHashMap<>();
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (!allowed.contains(name)) {
          throw new BadRequest(
              "parameter '" + name + "': unknown (allowed: " + String.join(", ", allowed) + ")");
        }
        if (values.containsKey(name)) {
          throw new BadRequest("parameter '" + name + "': given more than once");
        }
        if (!value.isBlank()) {
          values.put(name, value);
        }
      }
    }
    return new Params(values);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("query string: bad escape in '" + s + "'", e);
    }
  }

  /** Passes the value of {@code name}, if given, to {@code setter}. */
  void apply(String name, Consumer<String> setter) {
    String v = values.get(name);
    if (v == null) {
      return;
    }
    try {
      setter.accept(v);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("parameter '" + name + "': " + e.getMessage(), e);
    }
  }

  /** As {@link #apply} for an integer value. */
  void applyInt(String name, Consumer<Integer> setter) {
    apply(
        name,
        v -> {
          int n;
          try {
            n = Integer.parseInt(v.strip());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "': not an integer", e);
          }
          setter.accept(n);
        });
  }
}
