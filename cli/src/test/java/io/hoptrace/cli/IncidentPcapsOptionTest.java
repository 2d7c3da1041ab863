package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze --incident-pcaps DIR} with a DIR that cannot hold the files: one line naming the
 * option and the path, exit code 2, before any broker starts and before anything is created.
 */
class IncidentPcapsOptionTest {
  private static final String MANIFEST =
      CliRun.repoRoot().resolve("deploy/lab/recordings/vxlan-blocked/manifest.json").toString();

  @TempDir Path tmp;

  private static void oneLineError(CliRun r, String... parts) {
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    assertThat(r.err()).contains(parts);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aFileIsNoDirectory() throws Exception {
    Path file = Files.writeString(tmp.resolve("taken"), "x");
    CliRun r = CliRun.run("analyze", MANIFEST, "--incident-pcaps", file.toString());
    oneLineError(r, "--incident-pcaps " + file + ": not a directory");
  }

  @Test
  void aDirectoryUnderAFileCannotBeCreated() throws Exception {
    Path file = Files.writeString(tmp.resolve("taken"), "x");
    Path dir = file.resolve("a/b");
    CliRun r = CliRun.run("analyze", MANIFEST, "--incident-pcaps", dir.toString());
    oneLineError(r, "--incident-pcaps " + dir + ": cannot be created", "is not a directory");
    assertThat(Files.isRegularFile(file)).isTrue();
  }

  @Test
  void aBadManifestStillCreatesNoDirectory() throws Exception {
    Path dir = tmp.resolve("pcaps");
    CliRun r =
        CliRun.run(
            "analyze", tmp.resolve("missing.json").toString(), "--incident-pcaps", dir.toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    assertThat(dir).doesNotExist();
  }
}
