package io.hoptrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The validator can fail: every manifest under test resources broken/ is rejected with the message
 * its first line announces ({@code # expect: ...}), naming the file, the document and the problem.
 */
class BrokenManifestsTest {

  static Stream<Path> brokenFiles() throws IOException, URISyntaxException {
    Path dir = Path.of(BrokenManifestsTest.class.getResource("/broken").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(yaml).hasSizeGreaterThanOrEqualTo(5);
      return yaml.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("brokenFiles")
  void isRejectedWithAClearMessage(Path file) {
    String yaml = Deploy.read(file);
    String firstLine = yaml.lines().findFirst().orElse("");
    assertThat(firstLine).as("first line of %s", file).startsWith("# expect: ");
    String expected = firstLine.substring("# expect: ".length());
    String name = "broken/" + file.getFileName();
    assertThatThrownBy(() -> ManifestValidator.validate(name, yaml))
        .isInstanceOf(ManifestException.class)
        .hasMessageStartingWith(name + ": ")
        .hasMessageContaining(expected)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
