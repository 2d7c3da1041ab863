package io.hoptrace.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AvroTrustTest {

  @Test
  void theSerdeDecodesGeneratedClassesInAJvmWithoutTheTrustedPackagesFlag() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    TrustProbe.class.getName()))
            .redirectErrorStream(true)
            .start();
    String output = readAll(process);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();

    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("flag=null")
        .contains("plain-avro=refused")
        .contains("serde=decoded");
  }

  @Test
  void onlyTheHoptraceSchemaPackageIsAdded() {
    assertThat(AvroTrust.isHoptraceSchemaClass(PacketSummary.class)).isTrue();
    assertThat(AvroTrust.isHoptraceSchemaClass(InterfaceRole.class)).isTrue();
    assertThat(AvroTrust.isHoptraceSchemaClass(java.net.URL.class)).isFalse();
  }

  private static String readAll(Process process) throws IOException {
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
