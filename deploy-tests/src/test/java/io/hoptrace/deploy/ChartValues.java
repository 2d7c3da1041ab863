package io.hoptrace.deploy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The chart's values as Helm merges them: values.yaml, overridden by another values file. */
final class ChartValues {

  private final Map<String, Object> values;

  private ChartValues(Map<String, Object> values) {
    this.values = values;
  }

  static ChartValues of(String valuesFile) {
    Map<String, Object> merged = load("values.yaml");
    if (!valuesFile.equals("values.yaml")) {
      merge(merged, load(valuesFile));
    }
    return new ChartValues(merged);
  }

  /** The value at a dotted path, e.g. {@code topics.packetsPartitions}. */
  Object get(String path) {
    Object v = values;
    for (String key : path.split("\\.")) {
      v = ((Map<?, ?>) v).get(key);
    }
    return v;
  }

  int integer(String path) {
    return ((Number) get(path)).intValue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load(String file) {
    Object o =
        new Load(LoadSettings.builder().build())
            .loadFromString(Deploy.read(Deploy.CHART.dir().resolve(file)));
    return new LinkedHashMap<>((Map<String, Object>) o);
  }

  @SuppressWarnings("unchecked")
  private static void merge(Map<String, Object> into, Map<String, Object> from) {
    from.forEach(
        (k, v) -> {
          if (v instanceof Map<?, ?> m && into.get(k) instanceof Map<?, ?> base) {
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) base);
            merge(copy, (Map<String, Object>) m);
            into.put(k, copy);
          } else {
            into.put(k, v);
          }
        });
  }
}
