package io.hoptrace.deploy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads manifests into typed models (fabric8 Kubernetes models, Strimzi's API) failing on any field
 * the model does not have. Those models keep unknown fields in an "additional properties" map (a
 * {@code @JsonAnySetter}); this mapper removes that setter, so an unknown field — a typo, a field
 * at the wrong level, a field of another API version — is an error naming its path.
 */
final class StrictModels {

  private static final ObjectMapper MAPPER = strictMapper();
  private static final RequiredFields REQUIRED = new RequiredFields(MAPPER);

  private StrictModels() {}

  /** Converts the manifest's content to {@code type}, or throws naming the offending field. */
  static <T> T read(Manifest m, Class<T> type) {
    T value;
    try {
      value = MAPPER.convertValue(m.content(), type);
    } catch (IllegalArgumentException e) {
      throw new ManifestException(m.where() + ": " + describe(e.getCause()), e);
    }
    List<String> missing = REQUIRED.missing(value, m.content());
    if (!missing.isEmpty()) {
      throw new ManifestException(
          m.where()
              + ": missing required field"
              + (missing.size() > 1 ? "s " : " ")
              + String.join(", ", missing));
    }
    return value;
  }

  private static String describe(Throwable cause) {
    if (cause instanceof UnrecognizedPropertyException u) {
      return "unknown field "
          + path(u.getPath())
          + " ("
          + u.getReferringClass().getSimpleName()
          + " has no field \""
          + u.getPropertyName()
          + "\")";
    }
    if (cause instanceof JsonMappingException j) {
      return "invalid value at "
          + path(j.getPath())
          + ": "
          + StrictYaml.oneLine(j.getOriginalMessage());
    }
    return String.valueOf(cause);
  }

  static String path(List<JsonMappingException.Reference> refs) {
    String p =
        refs.stream()
            .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining());
    return p.isEmpty() ? "the top level" : p.substring(p.startsWith(".") ? 1 : 0);
  }

  private static ObjectMapper strictMapper() {
    SimpleModule noAnySetter = new SimpleModule("hoptrace-strict");
    noAnySetter.setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          public BeanDeserializerBuilder updateBuilder(
              DeserializationConfig config, BeanDescription desc, BeanDeserializerBuilder builder) {
            builder.setAnySetter(null);
            builder.setIgnoreUnknownProperties(false);
            return builder;
          }
        });
    return new ObjectMapper()
        .registerModule(noAnySetter)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
  }
}
