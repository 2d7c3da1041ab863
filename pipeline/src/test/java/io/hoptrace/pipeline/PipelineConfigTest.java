package io.hoptrace.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class PipelineConfigTest {

  @Test
  void defaultsAreOnePartitionAndOneThread() {
    PipelineConfig c = PipelineConfig.defaults();
    assertThat(c.packetsPartitions()).isEqualTo(1);
    assertThat(c.streamThreads()).isEqualTo(1);
    assertThat(PipelineConfig.RUN_DEFAULT_PACKETS_PARTITIONS).isEqualTo(1);
  }

  @Test
  void valuesBelowOneAreRejectedNamingTheSetting() {
    assertThatThrownBy(() -> new PipelineConfig(Map.of(PipelineConfig.STREAM_THREADS, 0)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(PipelineConfig.STREAM_THREADS);
    assertThatThrownBy(() -> new PipelineConfig(Map.of(PipelineConfig.PACKETS_PARTITIONS, "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(PipelineConfig.PACKETS_PARTITIONS);
    assertThat(
            new PipelineConfig(Map.of(PipelineConfig.PACKETS_PARTITIONS, "4")).packetsPartitions())
        .isEqualTo(4);
  }
}
