package io.hoptrace.bench;

import io.hoptrace.synth.BulkCaptureGenerator;
import io.hoptrace.synth.MixedCaptureGenerator;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Generated frames cut at a snap length, one after the other in one direct buffer, as a live
 * capture delivers them: frame {@code i} is {@code lengths[i]} bytes at {@code offsets[i]}, {@code
 * wire[i]} bytes on the wire, captured at {@code ts[i]}.
 */
final class SnapFrames {
  final UnsafeBuffer buffer;
  final int[] offsets;
  final int[] lengths;
  final int[] wire;
  final long[] ts;

  SnapFrames(MixedCaptureGenerator gen, int count, int snapLength) {
    this(gen::next, gen::timestampNanos, count, snapLength);
  }

  SnapFrames(BulkCaptureGenerator gen, int count, int snapLength) {
    this(gen::next, gen::timestampNanos, count, snapLength);
  }

  /** {@code count} frames from {@code next}, each captured at {@code ts} read after it. */
  SnapFrames(Supplier<byte[]> next, LongSupplier time, int count, int snapLength) {
    byte[][] f = new byte[count][];
    ts = new long[count];
    int total = 0;
    for (int i = 0; i < count; i++) {
      f[i] = next.get();
      ts[i] = time.getAsLong();
      total += Math.min(snapLength, f[i].length);
    }
    buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(total));
    offsets = new int[count];
    lengths = new int[count];
    wire = new int[count];
    int at = 0;
    for (int i = 0; i < count; i++) {
      int cap = Math.min(snapLength, f[i].length);
      buffer.putBytes(at, f[i], 0, cap);
      offsets[i] = at;
      lengths[i] = cap;
      wire[i] = f[i].length;
      at += cap;
    }
  }
}
