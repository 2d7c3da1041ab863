package io.hoptrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The Helm chart lints, renders with each of its values files into valid manifests, and
 * deploy/kubernetes/ holds exactly its rendering (one source: the chart). Regenerate the committed
 * files after changing the chart with {@code mvn -B -o verify -pl deploy-tests -am
 * -Dtest=ChartRenderingTest -Dsurefire.failIfNoSpecifiedTests=false -Dhoptrace.deploy.render=true}.
 */
class ChartRenderingTest {

  static final List<String> VALUES = Deploy.VALUES;

  @Test
  void lintsStrictly() {
    Deploy.CHART.lint();
  }

  @ParameterizedTest
  @FieldSource("VALUES")
  void rendersValidManifests(String values) {
    List<Manifest> docs = Deploy.manifests(values);
    boolean flink = values.equals("values-flink.yaml");
    assertThat(docs)
        .extracting(Manifest::kind)
        .contains(
            "DaemonSet",
            "ClusterRole",
            "ClusterRoleBinding",
            "ServiceAccount",
            "Kafka",
            "KafkaNodePool",
            "KafkaTopic",
            "PodMonitor",
            "NetworkPolicy",
            flink ? "FlinkDeployment" : "Deployment")
        .doesNotContain(flink ? "Deployment" : "FlinkDeployment");
  }

  @Test
  void committedManifestsAreTheChartsRendering() throws IOException {
    boolean write = Boolean.getBoolean("hoptrace.deploy.render");
    for (Map.Entry<String, String> e : Deploy.COMMITTED.entrySet()) {
      String expected = header(e.getKey()) + Deploy.rendered(e.getKey());
      Path file = Deploy.MANIFESTS.resolve(e.getValue());
      if (write) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, expected);
      }
      assertThat(Files.exists(file) ? Deploy.read(file) : "")
          .as(
              "%s must equal `helm template` of the chart (%s): regenerate it with"
                  + " -Dhoptrace.deploy.render=true (see this test's doc)",
              Deploy.ROOT.relativize(file), e.getKey())
          .isEqualTo(expected);
    }
  }

  @Test
  void refusesMoreStreamThreadsThanPartitions() {
    Path values = Deploy.CHART.dir().resolve("values-scale-out.yaml");
    var chart = new com.marcnuri.helm.Helm(Deploy.CHART.dir());
    assertThatThrownBy(
            () -> chart.template().withValuesFile(values).set("topics.packetsPartitions", 6).call())
        .hasMessageContaining(
            "detection.streams.replicas (3) x threads (4) exceeds topics.packetsPartitions (6)");
  }

  @Test
  void valuesSchemaRefusesUnknownKeysAndValues() {
    var chart = new com.marcnuri.helm.Helm(Deploy.CHART.dir());
    assertThatThrownBy(() -> chart.template().set("detection.engine", "flnk").call())
        .hasMessageContaining("at '/detection/engine': value must be one of 'streams', 'flink'");
    assertThatThrownBy(() -> chart.template().set("sensor.interface", "eth0").call())
        .hasMessageContaining("at '/sensor': additional properties 'interface' not allowed");
  }

  private static String header(String values) {
    return "# Rendered from the Helm chart deploy/helm/hoptrace: helm template "
        + HelmChart.RELEASE
        + " deploy/helm/hoptrace -n "
        + HelmChart.NAMESPACE
        + (values.equals("values.yaml") ? "" : " -f deploy/helm/hoptrace/" + values)
        + "\n# Do not edit: change the chart and regenerate (deploy-tests, ChartRenderingTest).\n";
  }
}
