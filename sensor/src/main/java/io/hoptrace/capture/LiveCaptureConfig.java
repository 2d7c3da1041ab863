package io.hoptrace.capture;

/**
 * Settings of a live capture, each with its default.
 *
 * @param snaplen bytes kept per packet; default {@value #DEFAULT_SNAPLEN} (headers only, no payload
 *     leaves the node); 64..262144
 * @param promiscuous promiscuous mode; default off
 * @param immediateMode deliver each packet at once instead of in buffer-sized batches; default off
 *     (on drops packets at high rates, see KNOWN-GOOD.md)
 * @param bufferBytes kernel ring buffer of a node interface; default {@value #DEFAULT_BUFFER_BYTES}
 *     (64 MiB); at least 1 MiB. A pod's interface and its node-side veth get at most {@value
 *     #POD_BUFFER_BYTES} ({@link #bufferBytesFor}): a node runs up to 110 pods, two hops each, and
 *     220 rings of 64 MiB would be 14 GiB of kernel memory
 * @param timeoutMillis read timeout, bounds the batching delay of buffered hops; default {@value
 *     #DEFAULT_TIMEOUT_MILLIS}; 1..10000. Hops in immediate mode use at least {@value
 *     #IMMEDIATE_TIMEOUT_MILLIS} ({@link #timeoutMillisFor})
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

  /**
   * Ring of a node interface, the bridge ({@code cni0}) included: 64 MiB. TPACKET_V3 (buffered
   * mode), 256 blocks of 256 KiB, each retired when full or after the read timeout; a packet takes
   * its capture (at most the snaplen) plus ~80 bytes of header and alignment: ~200 000 packets at
   * snaplen 256, ~460 000 small ones. A bridge sees only what it passes up to the node's stack or
   * sends from it (not pod-to-pod frames bridged between veths), but that can be all of a node's
   * pod traffic. 16 MiB for the bridge was measured (docs/performance.md §8.2): 48 MB less RSS for
   * 110 pods, no drop at 24 000 captures/s, but under a 10 s overload (60 000 captures/s on 2
   * loaded cores) {@code cni0} dropped 17-32 % in 2 of 3 runs where 64 MiB dropped none in 5: the
   * ring is what carries a busy hop through a longer overload, so the bridge keeps 64 MiB.
   */
  public static final int DEFAULT_BUFFER_BYTES = 64 << 20;

  public static final int DEFAULT_TIMEOUT_MILLIS = 100;

  /**
   * Ring of a pod-side hop: 256 KiB. Pod hops are captured in immediate mode ({@link
   * #immediateModeFor}: TPACKET_V2, one frame per packet, ~336 bytes at snaplen 256 with libpcap's
   * header and alignment), so 256 KiB hold ~780 packets before the kernel drops (counted in the
   * hop's drop gauge) while the hop's capture thread is not scheduled; it is woken for each packet,
   * and a pod hop carries one pod's traffic. The ring is mapped into the sensor and counts in its
   * RSS: 110 pods, two hops each, are 55 MiB (220 MiB with the 1 MiB of the first version, measured
   * in docs/performance.md §8.1).
   */
  public static final int POD_BUFFER_BYTES = 256 << 10;

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

  /**
   * Whether a hop of {@code role} is captured in immediate mode: always for pod hops. Their ring is
   * small, and in buffered mode libpcap uses TPACKET_V3, whose ring is made of 256 KiB blocks
   * (MAXIMUM_SNAPLEN), each retired by the read timeout however few packets it holds: 1 MiB is 4
   * blocks, 0.4 s of slack before the kernel drops when the capture thread is not scheduled (seen
   * with 110 pods on a loaded machine: half of a broadcast burst dropped). Immediate mode uses
   * TPACKET_V2, one snaplen-sized frame per packet: ~780 packets of slack in 256 KiB, a wake-up per
   * packet (pod hops carry one pod's traffic). The tcpdump children that captured pod interfaces
   * before ran in immediate mode too.
   */
  public boolean immediateModeFor(io.hoptrace.schema.InterfaceRole role) {
    return immediateMode || isPodHop(role);
  }

  /**
   * Read timeout of a hop captured in immediate mode: 1 s. There it only says how long libpcap's
   * {@code poll} sleeps on an idle handle (each packet wakes it at once; TPACKET_V2), not how long
   * a packet waits; with 100 ms, 220 idle pod hops woke 2 200 times a second, 0.40 s of CPU per 10
   * s of an idle 110-pod node (docs/performance.md §8.2). A stop does not wait for it: libpcap
   * 1.10's {@code pcap_breakloop} wakes the poll (an eventfd; older versions notice at the
   * timeout). In buffered mode (TPACKET_V3) the timeout is the kernel's block timeout, the batching
   * delay, and stays {@link #timeoutMillis}.
   */
  public static final int IMMEDIATE_TIMEOUT_MILLIS = 1000;

  /**
   * The read timeout of a hop of {@code role}: at least {@link #IMMEDIATE_TIMEOUT_MILLIS} when it
   * is captured in immediate mode ({@link #immediateModeFor}), else {@link #timeoutMillis}.
   */
  public int timeoutMillisFor(io.hoptrace.schema.InterfaceRole role) {
    return immediateModeFor(role)
        ? Math.max(timeoutMillis, IMMEDIATE_TIMEOUT_MILLIS)
        : timeoutMillis;
  }

  /** The ring size of a hop of {@code role}: {@link #POD_BUFFER_BYTES} at most for pod hops. */
  public int bufferBytesFor(io.hoptrace.schema.InterfaceRole role) {
    return isPodHop(role) ? Math.min(bufferBytes, POD_BUFFER_BYTES) : bufferBytes;
  }

  /** A pod's own interface or its node-side veth: one pod's traffic, one of up to 220 hops. */
  private static boolean isPodHop(io.hoptrace.schema.InterfaceRole role) {
    return role == io.hoptrace.schema.InterfaceRole.POD
        || role == io.hoptrace.schema.InterfaceRole.VETH;
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
