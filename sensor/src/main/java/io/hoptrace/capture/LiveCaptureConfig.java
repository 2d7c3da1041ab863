package io.hoptrace.capture;

/**
 * Settings of a live capture, each with its default.
 *
 * @param snaplen bytes kept per packet; default {@value #DEFAULT_SNAPLEN} (headers only, no payload
 *     leaves the node); 64..262144
 * @param promiscuous promiscuous mode; default off
 * @param immediateMode deliver each packet at once instead of in buffer-sized batches; default off
 *     (on drops packets at high rates, see KNOWN-GOOD.md); the netns (tcpdump) path is always
 *     immediate so that packets arrive before the child is stopped
 * @param bufferBytes kernel ring buffer; default {@value #DEFAULT_BUFFER_BYTES} (64 MiB); at least
 *     1 MiB
 * @param timeoutMillis read timeout, bounds the batching delay and how fast a stop is noticed;
 *     default {@value #DEFAULT_TIMEOUT_MILLIS}; 1..10000
 * @param filter BPF filter expression applied to every interface, or null for all packets
 */
public record LiveCaptureConfig(
    int snaplen,
    boolean promiscuous,
    boolean immediateMode,
    int bufferBytes,
    int timeoutMillis,
    String filter) {

  public static final int DEFAULT_SNAPLEN = 256;

  /** Smallest snaplen: room for the outer and encapsulated headers of a VXLAN packet. */
  public static final int MIN_SNAPLEN = 64;

  /** Largest snaplen, as libpcap's MAXIMUM_SNAPLEN. */
  public static final int MAX_SNAPLEN = CaptureFileReader.MAX_CAPLEN;

  public static final int DEFAULT_BUFFER_BYTES = 64 << 20;
  public static final int DEFAULT_TIMEOUT_MILLIS = 100;

  public LiveCaptureConfig {
    if (snaplen < MIN_SNAPLEN || snaplen > MAX_SNAPLEN) {
      throw new IllegalArgumentException(
          "snaplen must be in [" + MIN_SNAPLEN + ", " + MAX_SNAPLEN + "]: " + snaplen);
    }
    if (bufferBytes < (1 << 20)) {
      throw new IllegalArgumentException("bufferBytes must be at least 1 MiB: " + bufferBytes);
    }
    if (timeoutMillis < 1 || timeoutMillis > 10_000) {
      throw new IllegalArgumentException("timeoutMillis must be in [1, 10000]: " + timeoutMillis);
    }
    if (filter != null && filter.isBlank()) {
      filter = null;
    }
  }

  /** Snaplen 256, not promiscuous, buffered, 64 MiB, 100 ms, no filter. */
  public static LiveCaptureConfig defaults() {
    return new LiveCaptureConfig(
        DEFAULT_SNAPLEN, false, false, DEFAULT_BUFFER_BYTES, DEFAULT_TIMEOUT_MILLIS, null);
  }

  public LiveCaptureConfig withFilter(String bpf) {
    return new LiveCaptureConfig(
        snaplen, promiscuous, immediateMode, bufferBytes, timeoutMillis, bpf);
  }

  public LiveCaptureConfig withSnaplen(int n) {
    return new LiveCaptureConfig(n, promiscuous, immediateMode, bufferBytes, timeoutMillis, filter);
  }

  public LiveCaptureConfig withPromiscuous(boolean on) {
    return new LiveCaptureConfig(snaplen, on, immediateMode, bufferBytes, timeoutMillis, filter);
  }

  public LiveCaptureConfig withImmediateMode(boolean on) {
    return new LiveCaptureConfig(snaplen, promiscuous, on, bufferBytes, timeoutMillis, filter);
  }

  public LiveCaptureConfig withBufferBytes(int n) {
    return new LiveCaptureConfig(snaplen, promiscuous, immediateMode, n, timeoutMillis, filter);
  }

  public LiveCaptureConfig withTimeoutMillis(int ms) {
    return new LiveCaptureConfig(snaplen, promiscuous, immediateMode, bufferBytes, ms, filter);
  }
}
