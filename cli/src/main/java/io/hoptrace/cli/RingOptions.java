package io.hoptrace.cli;

import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.evidence.HopRings;
import io.hoptrace.evidence.RingResponder;
import io.hoptrace.publish.PublisherConfig;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/**
 * {@code hoptrace sensor --ring-seconds S --ring-bytes SIZE}: the rings of recent packets ({@link
 * HopRings}) a sensor keeps for {@code hoptrace pcap}, and its answers to the pcap requests ({@link
 * RingResponder}).
 */
final class RingOptions {
  static final int DEFAULT_SECONDS = 60;
  static final long DEFAULT_BYTES = 64L << 20;
  static final int MAX_SECONDS = 3600;

  @Option(
      names = "--ring-seconds",
      paramLabel = "S",
      description =
          "Keep each hop's packets (headers, as captured) for hoptrace pcap up to S seconds"
              + " before its newest one (live default: "
              + DEFAULT_SECONDS
              + "; with --pcap, giving --ring-seconds or --ring-bytes keeps rings and answers"
              + " pcap requests after the replay until --duration or Ctrl-C).")
  Integer seconds;

  @Option(
      names = "--ring-bytes",
      paramLabel = "SIZE",
      description =
          "Memory of all the rings together, divided among the hops (bytes, or with k, m, g: 64m, 512k, 1g; live"
              + " default: 64m, or a quarter of the JVM heap when that is less; 0: no rings)."
              + " Counted in the JVM heap.")
  String bytes;

  /**
   * The rings to keep, or null for none; checked against the JVM's heap, touching nothing.
   *
   * @param replay whether the sensor replays files (rings only when asked for)
   * @throws IllegalArgumentException naming the option
   */
  HopRings rings(boolean replay) {
    return rings(replay, Runtime.getRuntime().maxMemory());
  }

  /** {@link #rings(boolean)} for a JVM heap of {@code heap} bytes. */
  HopRings rings(boolean replay, long heap) {
    if (seconds != null && (seconds < 1 || seconds > MAX_SECONDS)) {
      throw new IllegalArgumentException(
          "--ring-seconds " + seconds + ": must be 1.." + MAX_SECONDS);
    }
    long total = bytes == null ? DEFAULT_BYTES : ByteSize.parse("--ring-bytes", bytes);
    if (total == 0 || (replay && seconds == null && bytes == null)) {
      return null;
    }
    if (total < HopRings.MIN_RING_BYTES) {
      throw new IllegalArgumentException(
          "--ring-bytes "
              + bytes
              + ": must be 0 (no rings) or at least "
              + (HopRings.MIN_RING_BYTES >> 10)
              + "k");
    }
    if (bytes == null && total > heap / 2) {
      // the default on a small heap: a quarter of it (the start line says how much), or none
      total = heap / 4;
      if (total < HopRings.MIN_RING_BYTES) {
        return null;
      }
    }
    if (total > heap / 2) {
      throw new IllegalArgumentException(
          "--ring-bytes "
              + bytes
              + ": more than half the JVM's heap ("
              + (heap >> 20)
              + " MB): lower it or raise -Xmx");
    }
    int s = seconds == null ? DEFAULT_SECONDS : seconds;
    return new HopRings(total, TimeUnit.SECONDS.toNanos(s));
  }

  /**
   * Starts answering pcap requests from {@code rings} (null: none, returns null); when the request
   * topic cannot be read, says so in one line and returns null (the sensor then keeps no rings).
   */
  static RingResponder start(
      HopRings rings,
      PublisherConfig config,
      DecoderConfig decoderConfig,
      String node,
      PrintWriter err) {
    if (rings == null) {
      return null;
    }
    RingResponder r;
    try {
      r =
          RingResponder.start(
              config,
              rings,
              decoderConfig,
              node,
              msg -> {
                err.println("hoptrace sensor: " + msg);
                err.flush();
              });
    } catch (RuntimeException e) {
      // capturing and publishing matter more than answering: go on without rings
      err.printf(
          "hoptrace sensor: not answering pcap requests (no rings kept): %s%n", e.getMessage());
      err.flush();
      return null;
    }
    err.printf(
        "hoptrace sensor: answering pcap requests on %s from rings of %d MB in all%n",
        config.topics().pcapRequests(), rings.totalBytes() >> 20);
    err.flush();
    return r;
  }

  /**
   * After a replay with rings: answers requests for {@code durationSeconds} (null: until Ctrl-C).
   */
  static void answerAfterReplay(HopRings rings, Integer durationSeconds, PrintWriter err)
      throws InterruptedException {
    if (rings == null) {
      return;
    }
    err.printf(
        "hoptrace sensor: rings hold %d packet(s) of %d hop(s); answering pcap requests %s%n",
        rings.packets(),
        rings.hops(),
        durationSeconds == null ? "until Ctrl-C" : "for " + durationSeconds + " s");
    err.flush();
    CountDownLatch never = new CountDownLatch(1);
    if (durationSeconds == null) {
      never.await();
    } else {
      never.await(durationSeconds, TimeUnit.SECONDS);
    }
  }
}
