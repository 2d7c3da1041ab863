package io.hoptrace.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes {@link ManifestReader} with whole manifest files. Whatever the bytes, reading must give a
 * {@link Manifest} or a {@link ManifestException} whose message is one line starting with the file
 * name (then the field path), never another exception.
 *
 * <p>So that the fuzzer gets past the hops' {@code file} check, every plain file name the input
 * mentions as {@code "file": "NAME"} exists (empty) next to the manifest. Regression inputs (the
 * lab recordings' manifests and every crash found) are in {@code
 * ManifestReaderFuzzTestInputs/read/}; docs/reliability.md "Fuzzing" has the fuzzing command.
 */
class ManifestReaderFuzzTest {

  private static final Pattern FILE_FIELD =
      Pattern.compile("\"file\"\\s*:\\s*\"([A-Za-z0-9._-]{1,64})\"");
  private static final Path DIR = tempDir();
  private static final Path MANIFEST = DIR.resolve("manifest.json");

  @FuzzTest(maxDuration = "30s")
  void read(byte[] input) throws IOException {
    Matcher m = FILE_FIELD.matcher(new String(input, java.nio.charset.StandardCharsets.ISO_8859_1));
    while (m.find()) {
      Path hopFile = DIR.resolve(m.group(1)).normalize();
      if (hopFile.getParent().equals(DIR) && !Files.exists(hopFile)) {
        Files.createFile(hopFile).toFile().deleteOnExit();
      }
    }
    Files.write(MANIFEST, input);
    try {
      assertThat(ManifestReader.read(MANIFEST)).isNotNull();
    } catch (ManifestException e) {
      assertThat(e.getMessage()).startsWith(MANIFEST.toString()).doesNotContain("\n", "\r");
    }
  }

  private static Path tempDir() {
    try {
      Path d = Files.createTempDirectory("hoptrace-fuzz-manifest-");
      d.toFile().deleteOnExit();
      d.resolve("manifest.json").toFile().deleteOnExit();
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
