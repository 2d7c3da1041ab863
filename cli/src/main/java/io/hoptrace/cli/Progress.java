package io.hoptrace.cli;

import io.hoptrace.capture.CaptureFileReader;
import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows how far a capture file has been read: a self-rewriting bar on a terminal, a line every few
 * seconds otherwise (logs, CI), and a final line with the packet rate.
 */
final class Progress implements AutoCloseable {

  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final String label;
  private final CaptureFileReader reader;
  private final boolean terminal = System.console() != null;
  private final ScheduledExecutorService timer;
  private final long t0 = System.nanoTime();
  private boolean finished;

  Progress(PrintWriter err, String label, CaptureFileReader reader) {
    this.err = err;
    this.label = label;
    this.reader = reader;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "hoptrace-progress");
              t.setDaemon(true);
              return t;
            });
    long period = terminal ? 250 : 5000;
    timer.scheduleAtFixedRate(this::show, period, period, TimeUnit.MILLISECONDS);
  }

  private synchronized void show() {
    if (finished) {
      return;
    }
    long size = Math.max(1, reader.sizeBytes());
    double frac = Math.min(1.0, reader.position() / (double) size);
    int filled = (int) (frac * WIDTH);
    String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
    double secs = (System.nanoTime() - t0) / 1e9;
    String line = String.format("%s [%s] %5.1f%% %.1f s", label, bar, frac * 100, secs);
    if (terminal) {
      err.print("\r" + line);
    } else {
      err.println(line);
    }
    err.flush();
  }

  /** Prints the final line: packets and packets per second. */
  synchronized void finish(long packets) {
    finished = true;
    double secs = Math.max((System.nanoTime() - t0) / 1e9, 1e-9);
    err.printf(
        "%s%s: %d packets in %.2f s (%.0f packets/s)%n",
        terminal ? "\r" : "", label, packets, secs, packets / secs);
    err.flush();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
