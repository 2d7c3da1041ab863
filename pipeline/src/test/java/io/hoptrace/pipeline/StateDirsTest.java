package io.hoptrace.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateDirsTest {

  @Test
  void xdgStateHomeWins() {
    assertThat(StateDirs.root(Map.of("XDG_STATE_HOME", "/srv/state", "HOME", "/home/u")))
        .isEqualTo(Path.of("/srv/state/hoptrace"));
  }

  @Test
  void otherwiseTheHomeDirectorysLocalState() {
    assertThat(StateDirs.root(Map.of("HOME", "/home/u")))
        .isEqualTo(Path.of("/home/u/.local/state/hoptrace"));
    // a relative XDG_STATE_HOME is invalid by the specification: ignored
    assertThat(StateDirs.root(Map.of("XDG_STATE_HOME", "state", "HOME", "/home/u")))
        .isEqualTo(Path.of("/home/u/.local/state/hoptrace"));
  }

  @Test
  void neverTheOsTemporaryDirectory() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    assertThat(StateDirs.root(Map.of("HOME", "/home/u")).startsWith(tmp)).isFalse();
    assertThat(StateDirs.root().startsWith(tmp)).isFalse();
  }
}
