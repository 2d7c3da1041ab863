package io.hoptrace.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionJobMainTest {
  @TempDir Path tmp;

  @Test
  void kafkaConfigSettingsReachTheJobsKafkaClients() throws Exception {
    Path f = tmp.resolve("client.properties");
    Files.writeString(f, "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n");
    DetectionJobMain.Job job =
        DetectionJobMain.Job.parse(
            new String[] {"--bootstrap", "kafka:9093", "--kafka-config", f.toString()});
    assertThat(job.kafka().client())
        .containsEntry("bootstrap.servers", "kafka:9093")
        .containsEntry("security.protocol", "SASL_SSL");
    DetectionGraph.Settings s =
        new DetectionGraph.Settings(
            job.kafka(), job.topics(), io.hoptrace.detect.DetectionConfig.defaults(), "g");
    assertThat(s.kafka()).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    assertThat(DetectionGraph.consumerProperties(s)).containsEntry("security.protocol", "SASL_SSL");
  }

  @Test
  void aBadKafkaConfigIsOneLineNamingTheFile() {
    Path missing = tmp.resolve("missing.properties");
    assertThatThrownBy(
            () ->
                DetectionJobMain.checkArguments(
                    "--bootstrap", "kafka:9093", "--kafka-config", missing.toString()))
        .hasMessage("--kafka-config " + missing + ": no such file");
  }

  @Test
  void storeIsAFlinkFileSystemUriOrALocalDirectoryMadeAbsolute() throws Exception {
    assertThat(
            DetectionJobMain.Job.parse(
                    new String[] {"--bootstrap", "kafka:9093", "--store", "s3://bucket/history"})
                .store())
        .isEqualTo("s3://bucket/history");
    assertThat(DetectionJobMain.Job.parse(new String[] {"--bootstrap", "kafka:9093"}).store())
        .isNull();
    Path dir = tmp.resolve("history");
    assertThat(
            DetectionJobMain.Job.parse(
                    new String[] {"--bootstrap", "kafka:9093", "--store", dir.toString()})
                .store())
        .isEqualTo(dir.toUri().toString());
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertThatThrownBy(
            () -> DetectionJobMain.checkArguments("--bootstrap", "k:1", "--store", file.toString()))
        .hasMessage("--store " + file + ": not a directory");
    assertThatThrownBy(() -> DetectionJobMain.checkArguments("--bootstrap", "k:1", "--store"))
        .hasMessage("--store needs a DIR or URI");
  }
}
