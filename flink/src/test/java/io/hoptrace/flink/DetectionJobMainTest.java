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
}
