package io.hoptrace.streams;

import io.hoptrace.detect.state.Codec;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** A Kafka {@link Serde} over a core {@link Codec}. */
final class CodecSerde<T> implements Serde<T> {
  private final Codec<T> codec;

  CodecSerde(Codec<T> codec) {
    this.codec = codec;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, v) -> v == null ? null : codec.encode(v);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return codec.decode(bytes);
      } catch (RuntimeException e) {
        throw new SerializationException(
            "cannot decode state/finding record: " + e.getMessage(), e);
      }
    };
  }
}
