package io.hoptrace.detect.state;

/** Compact binary form of one state type; {@code decode(encode(x))} equals {@code x}. */
public interface Codec<T> {
  byte[] encode(T value);

  T decode(byte[] bytes);
}
