package io.hoptrace.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Helm chart through embedded Helm (helm-java: the Helm Go library in-process, offline): lint
 * and render it as {@code helm lint --strict} and {@code helm template} would.
 */
public final class HelmChart {

  /** Release name and namespace of the committed renderings. */
  public static final String RELEASE = "hoptrace";

  public static final String NAMESPACE = "hoptrace";

  private final Path dir;

  public HelmChart(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /**
   * {@code helm lint --strict} (warnings fail too) with the chart's default values; helm-java's
   * lint takes no values file, other values files are checked by rendering them.
   */
  public void lint() {
    LintResult result = new Helm(dir).lint().strict().call();
    if (result.isFailed()) {
      throw new ManifestException(
          "helm lint --strict " + dir + ": " + String.join("; ", result.getMessages()));
    }
  }

  /** {@code helm template RELEASE CHART -n NAMESPACE [-f values]}. */
  public String render(Path values) {
    return template(Optional.of(values));
  }

  /** {@code helm template} with the chart's default values. */
  public String renderDefaults() {
    return template(Optional.empty());
  }

  private String template(Optional<Path> values) {
    TemplateCommand t = new Helm(dir).template().withName(RELEASE).withNamespace(NAMESPACE);
    values.ifPresent(t::withValuesFile);
    try {
      return t.call();
    } catch (RuntimeException e) {
      throw new ManifestException(
          "helm template "
              + dir
              + values.map(v -> " -f " + v).orElse("")
              + ": "
              + StrictYaml.oneLine(e.getMessage()),
          e);
    }
  }
}
