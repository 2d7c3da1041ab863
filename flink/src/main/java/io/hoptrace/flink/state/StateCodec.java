package io.hoptrace.flink.state;

import io.hoptrace.detect.Codecs;
import io.hoptrace.detect.state.Codec;

/**
 * The state values the Flink host keeps, each written with the core's own versioned codec ({@link
 * Codecs}), so Flink checkpoints hold the same bytes as the Kafka Streams stores. The name is what
 * a checkpoint records to find the serializer again: never rename a constant.
 */
public enum StateCodec {
  CONVERSATION(Codecs.conversation(), false),
  AGGREGATE(Codecs.aggregate(), false),
  FINGERPRINT(Codecs.fingerprintEntry(), true),
  HOP(Codecs.hopInfo(), true),
  FINDING(Codecs.finding(), false),
  INCIDENT(Codecs.incident(), false);

  private final Codec<?> codec;
  private final boolean immutable;

  StateCodec(Codec<?> codec, boolean immutable) {
    this.codec = codec;
    this.immutable = immutable;
  }

  @SuppressWarnings("unchecked")
  <T> Codec<T> codec() {
    return (Codec<T>) codec;
  }

  /** Whether values are immutable (records): a copy may be the value itself. */
  boolean immutable() {
    return immutable;
  }

  /** The Flink serializer of these values. */
  public <T> CodecSerializer<T> serializer() {
    return new CodecSerializer<>(this);
  }
}
