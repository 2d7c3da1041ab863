package io.hoptrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The security posture of the rendered pods, so that it cannot loosen unnoticed: the sensor gets
 * host network and PID, every node, a read-only root and only the capabilities capture needs, each
 * justified by a comment in the template; the detection job runs unprivileged.
 */
class PodSecurityTest {

  private static final List<String> CAPTURE = List.of("NET_RAW", "NET_ADMIN");
  private static final List<String> POD_NAMESPACES = List.of("SYS_ADMIN", "SYS_PTRACE");

  @Test
  void sensorHasHostAccessAndOnlyTheCapabilitiesCaptureNeeds() {
    PodSpec pod = sensor(Deploy.rendered("values.yaml"));
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getHostPID()).isTrue();
    assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
    assertThat(pod.getTolerations())
        .extracting(Toleration::getKey, Toleration::getOperator)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(null, "Exists"));
    Container c = pod.getContainers().get(0);
    assertLockedDown(c);
    assertThat(c.getSecurityContext().getCapabilities().getAdd())
        .containsExactlyInAnyOrderElementsOf(concat(CAPTURE, POD_NAMESPACES));
    assertThat(c.getPorts()).extracting(p -> p.getName()).containsExactly("metrics");
  }

  @Test
  void withoutPodNamespacesTheSensorKeepsOnlyCaptureCapabilities() throws URISyntaxException {
    Path values = Path.of(getClass().getResource("/values/no-pod-namespaces.yaml").toURI());
    PodSpec pod = sensor(Deploy.CHART.render(values));
    assertThat(pod.getHostPID()).isFalse();
    assertThat(pod.getContainers().get(0).getSecurityContext().getCapabilities().getAdd())
        .containsExactlyInAnyOrderElementsOf(CAPTURE);
    assertThat(pod.getVolumes()).extracting(v -> v.getName()).containsExactly("tmp");
  }

  @Test
  void everyAddedCapabilityIsExplainedInTheTemplate() {
    String template = Deploy.read(Deploy.CHART.dir().resolve("templates/sensor-daemonset.yaml"));
    Matcher m =
        Pattern.compile("(?m)^\\s*# ([A-Z_]+): \\S.*\\n(?:\\s*#.*\\n)*\\s*- ([A-Z_]+)$")
            .matcher(template);
    List<String> explained = new ArrayList<>();
    while (m.find()) {
      assertThat(m.group(1)).as("comment above capability %s", m.group(2)).isEqualTo(m.group(2));
      explained.add(m.group(2));
    }
    assertThat(explained).containsExactlyInAnyOrderElementsOf(concat(CAPTURE, POD_NAMESPACES));
  }

  @Test
  void detectionJobRunsUnprivileged() {
    for (String values : List.of("values.yaml", "values-scale-out.yaml")) {
      Deployment d =
          ManifestValidator.typed(
              Deploy.manifests(values).stream()
                  .filter(x -> x.kind().equals("Deployment"))
                  .findFirst()
                  .orElseThrow(),
              Deployment.class);
      PodSpec pod = d.getSpec().getTemplate().getSpec();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(values).isTrue();
      assertThat(pod.getAutomountServiceAccountToken()).as(values).isFalse();
      Container c = pod.getContainers().get(0);
      assertLockedDown(c);
      assertThat(c.getSecurityContext().getCapabilities().getAdd()).as(values).isNullOrEmpty();
    }
  }

  private static void assertLockedDown(Container c) {
    SecurityContext sc = c.getSecurityContext();
    assertThat(sc.getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
    assertThat(sc.getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
    assertThat(sc.getPrivileged()).as(c.getName()).isNotEqualTo(Boolean.TRUE);
    assertThat(sc.getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
    assertThat(c.getResources().getRequests()).as(c.getName()).containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).as(c.getName()).containsKey("memory");
  }

  private static PodSpec sensor(String rendered) {
    Manifest ds =
        ManifestValidator.validate("sensor", rendered).stream()
            .filter(x -> x.kind().equals("DaemonSet"))
            .findFirst()
            .orElseThrow();
    return ManifestValidator.typed(ds, DaemonSet.class).getSpec().getTemplate().getSpec();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
