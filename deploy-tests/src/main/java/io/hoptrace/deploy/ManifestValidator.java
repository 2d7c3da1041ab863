package io.hoptrace.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates manifests offline: each document must be of a kind this project deploys, in the API
 * version given here, and read without error into its typed model (fabric8 for Kubernetes and the
 * Prometheus Operator, Strimzi's API for Kafka resources) or, for the FlinkDeployment, match the
 * Flink Kubernetes Operator's CRD schema. Unknown fields fail everywhere.
 */
public final class ManifestValidator {

  /** apiVersion/kind of every typed resource the project deploys. */
  private static final Map<String, Class<? extends HasMetadata>> TYPED =
      Map.ofEntries(
          Map.entry("v1/ServiceAccount", ServiceAccount.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("v1/ConfigMap", ConfigMap.class),
          Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
          Map.entry("apps/v1/DaemonSet", DaemonSet.class),
          Map.entry("apps/v1/Deployment", Deployment.class),
          Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class),
          Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class),
          Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
          Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
          Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class),
          Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
          Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
          Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class));

  /** The Flink Kubernetes Operator 1.15.0's FlinkDeployment CRD (a copy, see crds/NOTICE). */
  private static final CrdSchema FLINK_DEPLOYMENT =
      CrdSchema.load("crds/flinkdeployments.flink.apache.org-v1.yml");

  private ManifestValidator() {}

  /**
   * Lints and validates every document of a YAML stream; returns them, or throws one exception
   * whose message lists every invalid document ("; " between them).
   */
  public static List<Manifest> validate(String source, String yaml) {
    List<Manifest> docs = StrictYaml.documents(source, yaml);
    if (docs.isEmpty()) {
      throw new ManifestException(source + ": no manifests");
    }
    List<String> problems = new ArrayList<>();
    for (Manifest m : docs) {
      try {
        validate(m);
      } catch (ManifestException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new ManifestException(String.join("; ", problems));
    }
    return docs;
  }

  /** Validates one document; throws a {@link ManifestException} naming it and the problem. */
  public static void validate(Manifest m) {
    Class<? extends HasMetadata> type = TYPED.get(m.apiVersion() + "/" + m.kind());
    if (type != null) {
      StrictModels.read(m, type);
      return;
    }
    if (FLINK_DEPLOYMENT.defines(m)) {
      List<String> errors = new ArrayList<>(FLINK_DEPLOYMENT.errors(m));
      if (errors.isEmpty()) {
        // the CRD leaves metadata open; the API server checks it as any object's
        StrictModels.read(
            new Manifest(m.source(), m.index(), m.line(), asMap(m.content().get("metadata"))),
            ObjectMeta.class);
        return;
      }
      throw new ManifestException(
          m.where()
              + ": does not match the FlinkDeployment CRD schema: "
              + String.join("; ", errors));
    }
    throw new ManifestException(
        m.where()
            + ": unknown resource "
            + m.apiVersion()
            + " "
            + m.kind()
            + " (validated kinds: "
            + String.join(", ", TYPED.keySet().stream().sorted().toList())
            + ", flink.apache.org/v1beta1/FlinkDeployment)");
  }

  /**
   * The manifest as its typed model, e.g. a fabric8 {@code DaemonSet}; fails as validation does.
   */
  public static <T extends HasMetadata> T typed(Manifest m, Class<T> type) {
    return StrictModels.read(m, type);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
