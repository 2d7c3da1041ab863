package io.hoptrace.decode;

import org.agrona.DirectBuffer;

/**
 * Base of the per-layer header flyweights: a view of {@code length} captured bytes at {@code
 * offset} in a buffer, re-pointed with {@link #wrap} for every packet (no allocation). Accessors of
 * the subclasses read fields at fixed offsets from {@link #offset}; callers check {@code
 * capturedLength()} (or the subclass's {@code isComplete()}) before reading a field.
 *
 * @param <S> the concrete flyweight, so that {@code wrap} returns it for chaining
 */
public abstract class HeaderFlyweight<S extends HeaderFlyweight<S>> {

  protected DirectBuffer buffer;
  protected int offset;
  protected int length;

  /** Points this flyweight at {@code length} captured bytes starting at {@code offset}. */
  @SuppressWarnings("unchecked")
  public S wrap(DirectBuffer buffer, int offset, int length) {
    this.buffer = buffer;
    this.offset = offset;
    this.length = length;
    return (S) this;
  }

  /** Bytes available from the start of this header to the end of the capture. */
  public int capturedLength() {
    return length;
  }
}
