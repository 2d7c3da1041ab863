package io.hoptrace.deploy;

import java.util.Map;

/**
 * One YAML document of a manifest file: where it comes from and its content as parsed.
 *
 * @param source the file (or rendering) it was read from
 * @param index the document's position in that source, from 1
 * @param line the line its first key is on, from 1
 * @param content the document as maps, lists and scalars
 */
public record Manifest(String source, int index, int line, Map<String, Object> content) {

  public String apiVersion() {
    return text("apiVersion");
  }

  public String kind() {
    return text("kind");
  }

  /** metadata.name, or "?" when it has none. */
  public String name() {
    return content.get("metadata") instanceof Map<?, ?> m && m.get("name") instanceof String n
        ? n
        : "?";
  }

  /** Where it is, for messages: {@code file: document N (line L, Kind name)}. */
  public String where() {
    return source + ": document " + index + " (line " + line + ", " + kind() + " " + name() + ")";
  }

  private String text(String key) {
    return content.get(key) instanceof String s ? s : "";
  }
}
