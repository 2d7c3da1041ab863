package io.hoptrace.pipeline;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.schema.Topics;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EmbeddedPipelineTest {

  @Test
  void deletingTopicsOnAnExistingKafkaNeedsTopicsAndAnApplicationIdOfItsOwn() {
    // with the defaults, closing would delete every hoptrace.* topic of the cluster
    assertThatThrownBy(
            () -> EmbeddedPipeline.builder().bootstrapServers("127.0.0.1:1", true).start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("of its own");
    assertThatThrownBy(
            () ->
                EmbeddedPipeline.builder()
                    .bootstrapServers("127.0.0.1:1", true)
                    .topics(Topics.withPrefix("hoptrace.run-1."))
                    .start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("of its own");
  }

  @Test
  void anExistingKafkaAndABrokerDataDirectoryExcludeEachOther() {
    assertThatThrownBy(
            () ->
                EmbeddedPipeline.builder()
                    .brokerDataDir(Path.of("/tmp/x"))
                    .bootstrapServers("127.0.0.1:1", false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EmbeddedPipeline.builder().bootstrapServers(" ", false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
