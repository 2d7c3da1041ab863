package io.hoptrace.detect.detector;

import io.hoptrace.detect.state.StateIn;
import io.hoptrace.detect.state.StateOut;

/**
 * Bytes of one detector's state slice in a conversation. The conversation codec frames each slice
 * with the detector's {@link Detector#stateCode()}, this codec's {@link #version()} and its length,
 * so a detector changes its own format (bump {@link #version()}, keep reading the older ones)
 * without touching the conversation format or any other detector.
 *
 * @param <S> the slice type
 */
public interface SliceCodec<S> {
  /** The version {@link #write} writes (1, 2, ...). */
  int version();

  /** Writes the slice; timestamps through {@link StateOut#ts} (relative to the conversation). */
  void write(StateOut out, S state);

  /** Reads into a fresh slice what {@link #write} of {@code version} wrote. */
  void read(StateIn in, int version, S into);
}
