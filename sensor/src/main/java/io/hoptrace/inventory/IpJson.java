package io.hoptrace.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reading iproute2's JSON output ({@code ip -j}, {@code bridge -j}). */
public final class IpJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private IpJson() {}

  /**
   * The JSON array the command {@code what} printed.
   *
   * @throws InventoryException naming the command when it printed nothing, bad JSON or no array
   */
  public static JsonNode array(String json, String what) throws InventoryException {
    if (json == null || json.isBlank()) {
      throw new InventoryException("'" + what + "' printed nothing");
    }
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InventoryException(
          "cannot parse the output of '" + what + "': " + e.getOriginalMessage());
    }
    if (n == null || !n.isArray()) {
      throw new InventoryException("'" + what + "' did not print a JSON array");
    }
    return n;
  }

  /** As {@link #array}, but nothing printed is an empty array. */
  public static JsonNode arrayOrEmpty(String json, String what) throws InventoryException {
    return json == null || json.isBlank() ? JSON.createArrayNode() : array(json, what);
  }

  /** A field's text, null when absent, null or empty. */
  public static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
  }
}
