package io.hoptrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every manifest under deploy/kubernetes/ lints and validates. */
class CommittedManifestsTest {

  static Stream<Path> manifestFiles() throws IOException {
    try (Stream<Path> files = Files.list(Deploy.MANIFESTS)) {
      List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(yaml).as("manifests in %s", Deploy.MANIFESTS).isNotEmpty();
      return yaml.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("manifestFiles")
  void validates(Path file) {
    List<Manifest> docs =
        ManifestValidator.validate(Deploy.ROOT.relativize(file).toString(), Deploy.read(file));
    assertThat(docs).extracting(Manifest::kind).contains("DaemonSet", "Kafka");
  }
}
