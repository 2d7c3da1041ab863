package io.hoptrace.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The repository's deploy/ files and the chart's renderings, shared by the tests (rendered once).
 */
final class Deploy {

  static final Path ROOT =
      Path.of(System.getProperty("hoptrace.root", "..")).toAbsolutePath().normalize();
  static final HelmChart CHART = new HelmChart(ROOT.resolve("deploy/helm/hoptrace"));
  static final Path MANIFESTS = ROOT.resolve("deploy/kubernetes");

  /** Values files of the chart: null for the defaults. */
  static final List<String> VALUES =
      List.of("values.yaml", "values-scale-out.yaml", "values-flink.yaml");

  /** The committed rendering of each values file that has one. */
  static final Map<String, String> COMMITTED =
      Map.of("values.yaml", "hoptrace.yaml", "values-flink.yaml", "hoptrace-flink.yaml");

  private static final Map<String, String> RENDERED = new ConcurrentHashMap<>();

  private Deploy() {}

  /**
   * {@code helm template} of the chart with one of its values files (values.yaml: the defaults).
   */
  static String rendered(String valuesFile) {
    return RENDERED.computeIfAbsent(
        valuesFile,
        v ->
            v.equals("values.yaml")
                ? CHART.renderDefaults()
                : CHART.render(CHART.dir().resolve(v)));
  }

  /** The validated documents of a rendering. */
  static List<Manifest> manifests(String valuesFile) {
    return ManifestValidator.validate("helm template -f " + valuesFile, rendered(valuesFile));
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
