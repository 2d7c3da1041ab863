package io.hoptrace.cli;

import io.hoptrace.metrics.SensorMetrics;
import io.hoptrace.publish.PublisherConfig;
import io.hoptrace.publish.SummaryPublisher;
import io.hoptrace.spool.Spool;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --spool-dir DIR} and {@code --spool-max-bytes N} of the live sensor: records go through an
 * on-disk spool and are sent from it in order, exactly once, so a broker outage costs nothing until
 * the spool is full (docs/reliability.md, "Broker outages and the spool").
 */
final class SpoolOptions {

  @Option(
      names = "--spool-dir",
      paramLabel = "DIR",
      description =
          "Live: publish through an on-disk spool in DIR (made if missing; one sensor per"
              + " directory): while the broker is away records wait there and are sent in order,"
              + " exactly once, when it is back, also by the next sensor started on DIR.")
  Path dir;

  @Option(
      names = "--spool-max-bytes",
      paramLabel = "N[k|m|g]",
      description =
          "Bound of the records waiting in the spool (default: 1g = 1 GiB; k, m, g: KiB, MiB,"
              + " GiB; at least 64k). Past it the newest records are dropped and counted"
              + " (hoptrace_sensor_spool_dropped_total).")
  String maxBytes;

  /**
   * Checks both options, touching nothing.
   *
   * @throws IllegalArgumentException naming the option
   */
  void validate(boolean replay) {
    if (dir == null) {
      if (maxBytes != null) {
        throw new IllegalArgumentException("--spool-max-bytes goes with --spool-dir");
      }
      return;
    }
    if (replay) {
      throw new IllegalArgumentException(
          "--spool-dir is for live capture (a replay waits for the broker instead)");
    }
    bound();
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException("--spool-dir " + dir + ": not a directory");
      }
      if (!Files.isWritable(dir)) {
        throw new IllegalArgumentException("--spool-dir " + dir + ": not writable");
      }
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    while (parent != null && !Files.exists(parent)) {
      parent = parent.getParent();
    }
    if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
      throw new IllegalArgumentException(
          "--spool-dir " + dir + ": cannot be made (" + parent + " is not a writable directory)");
    }
  }

  /** The bound in bytes. */
  long bound() {
    if (maxBytes == null) {
      return Spool.DEFAULT_MAX_BYTES;
    }
    long n = ByteSize.parse("--spool-max-bytes", maxBytes);
    if (n < Spool.MIN_MAX_BYTES) {
      throw new IllegalArgumentException(
          "--spool-max-bytes " + maxBytes + ": must be at least 64k (" + Spool.MIN_MAX_BYTES + ")");
    }
    return n;
  }

  /** The spool opened by {@link #openThen}, until a publisher takes it. */
  private Spool opened;

  /**
   * With {@code --spool-dir}, opens the spool — its directory locked first: a second sensor on it
   * stops here, before Kafka is asked anything — then runs {@code kafkaCheck} (the spool is closed
   * again if it fails).
   */
  void openThen(Runnable kafkaCheck) {
    opened = dir == null ? null : Spool.open(dir, bound());
    try {
      kafkaCheck.run();
    } catch (RuntimeException e) {
      closeOpened();
      throw e;
    }
  }

  /** The publisher: through the spool opened by {@link #openThen}, else straight to Kafka. */
  SummaryPublisher publisher(PublisherConfig config, SensorMetrics metrics) {
    if (opened == null) {
      return new SummaryPublisher(config, metrics);
    }
    try {
      return new SummaryPublisher(config, metrics, opened);
    } catch (RuntimeException e) {
      closeOpened();
      throw e;
    }
  }

  private void closeOpened() {
    if (opened != null) {
      opened.close();
      opened = null;
    }
  }

  /** The spool's part of the sensor's stats line, or "" without one. */
  static String describe(SummaryPublisher publisher) {
    Spool s = publisher.spool();
    return s == null
        ? ""
        : String.format(
            " spool %d records, %d bytes, %d dropped;", s.records(), s.bytes(), s.dropped());
  }
}
