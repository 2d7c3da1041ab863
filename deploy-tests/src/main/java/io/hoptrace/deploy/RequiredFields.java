package io.hoptrace.deploy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Required fields of a typed model ({@code @JsonProperty(required = true)}, as Strimzi's API marks
 * what its CRD schemas require), checked against the manifest the model was read from: Jackson
 * enforces them only for constructor properties, and a missing primitive reads as 0 or false.
 */
final class RequiredFields {

  private final ObjectMapper mapper;

  RequiredFields(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The paths of the required fields that {@code source} lacks anywhere in {@code model}. */
  List<String> missing(Object model, Object source) {
    List<String> out = new ArrayList<>();
    walk(model, source, "", out);
    return out;
  }

  private void walk(Object model, Object source, String path, List<String> out) {
    if (model instanceof List<?> list && source instanceof List<?> src) {
      for (int i = 0; i < Math.min(list.size(), src.size()); i++) {
        walk(list.get(i), src.get(i), path + "[" + i + "]", out);
      }
      return;
    }
    if (!(source instanceof Map<?, ?> src) || model == null) {
      return;
    }
    if (model instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, src.get(k), join(path, String.valueOf(k)), out));
      return;
    }
    if (!isModel(model.getClass())) {
      return;
    }
    BeanDescription desc =
        mapper.getSerializationConfig().introspect(mapper.constructType(model.getClass()));
    for (BeanPropertyDefinition p : desc.findProperties()) {
      String fieldPath = join(path, p.getName());
      if (!src.containsKey(p.getName())) {
        if (p.isRequired()) {
          out.add(fieldPath);
        }
        continue;
      }
      AnnotatedMember getter = p.getAccessor();
      if (getter != null) {
        walk(getter.getValue(model), src.get(p.getName()), fieldPath, out);
      }
    }
  }

  private static boolean isModel(Class<?> c) {
    String name = c.getName();
    return name.startsWith("io.strimzi.api.") || name.startsWith("io.fabric8.");
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
