package io.hoptrace.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A custom resource checked against its CustomResourceDefinition's {@code openAPIV3Schema}, as the
 * API server's strict field validation would: every object schema that lists its properties and
 * neither allows additional properties nor preserves unknown fields rejects fields it does not list
 * (the API server would otherwise drop them silently).
 */
final class CrdSchema {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String group;
  private final String kind;
  private final Map<String, JsonSchema> byVersion;

  private CrdSchema(String group, String kind, Map<String, JsonSchema> byVersion) {
    this.group = group;
    this.kind = kind;
    this.byVersion = byVersion;
  }

  /** Reads a CRD (YAML) from the class path. */
  static CrdSchema load(String resource) {
    String yaml;
    try (InputStream in = CrdSchema.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing CRD resource " + resource);
      }
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonNode crd = JSON.valueToTree(StrictYaml.documents(resource, yaml).get(0).content());
    JsonNode spec = crd.path("spec");
    // OpenAPI v3 schemas are close to JSON Schema draft 4; Kubernetes' own keywords only annotate
    // (preserve-unknown-fields is applied by strict(), int-or-string comes with its anyOf)
    JsonMetaSchema openApi =
        JsonMetaSchema.builder(JsonMetaSchema.getV4())
            .keyword(new NonValidationKeyword("x-kubernetes-preserve-unknown-fields"))
            .keyword(new NonValidationKeyword("x-kubernetes-int-or-string"))
            .keyword(new NonValidationKeyword("x-kubernetes-embedded-resource"))
            .keyword(new NonValidationKeyword("x-kubernetes-list-type"))
            .keyword(new NonValidationKeyword("x-kubernetes-list-map-keys"))
            .keyword(new NonValidationKeyword("x-kubernetes-map-type"))
            .keyword(new NonValidationKeyword("nullable"))
            .build();
    JsonSchemaFactory factory =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, b -> b.metaSchema(openApi));
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().build();
    Map<String, JsonSchema> versions = new java.util.LinkedHashMap<>();
    for (JsonNode v : spec.path("versions")) {
      ObjectNode schema = v.path("schema").path("openAPIV3Schema").deepCopy();
      // every object has these; a CRD's schema does not list them
      ObjectNode props = (ObjectNode) schema.path("properties");
      props.putObject("apiVersion").put("type", "string");
      props.putObject("kind").put("type", "string");
      props.putObject("metadata").put("type", "object");
      strict(schema);
      versions.put(v.path("name").asText(), factory.getSchema(schema, config));
    }
    return new CrdSchema(
        spec.path("group").asText(), spec.path("names").path("kind").asText(), versions);
  }

  /** Whether this CRD defines the manifest's kind (any served version). */
  boolean defines(Manifest m) {
    return m.kind().equals(kind) && m.apiVersion().startsWith(group + "/");
  }

  /** The validation errors of the manifest, one line each, sorted; empty when valid. */
  List<String> errors(Manifest m) {
    String version = m.apiVersion().substring(group.length() + 1);
    JsonSchema schema = byVersion.get(version);
    if (schema == null) {
      return List.of(
          group + "/" + version + " is not a version of " + kind + " " + byVersion.keySet());
    }
    Set<ValidationMessage> messages = schema.validate(JSON.valueToTree(m.content()));
    return messages.stream()
        .map(ValidationMessage::getMessage)
        .sorted()
        .collect(Collectors.toList());
  }

  private static void strict(JsonNode node) {
    if (node.isArray()) {
      node.forEach(CrdSchema::strict);
      return;
    }
    if (!node.isObject()) {
      return;
    }
    ObjectNode o = (ObjectNode) node;
    if (o.has("properties")
        && !o.has("additionalProperties")
        && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      o.put("additionalProperties", false);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("properties")) {
        e.getValue().forEach(CrdSchema::strict);
      } else if (e.getValue().isContainerNode()) {
        strict(e.getValue());
      }
    }
  }
}
