package io.hoptrace.flink;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;

/** Waiting on a submitted Flink job ({@link JobClient}) from a host's thread. */
final class Jobs {
  private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(10);

  private Jobs() {}

  /**
   * The future's value within {@code timeout}.
   *
   * @throws IllegalStateException "cannot {@code what}: cause" when it failed or took longer
   */
  static <T> T get(CompletableFuture<T> f, Duration timeout, String what) {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot " + what + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The job's status. */
  static JobStatus status(JobClient job, String name) {
    return get(job.getJobStatus(), STATUS_TIMEOUT, "read the status of the " + name);
  }

  /** Cancels the job unless it has ended; quietly when it cannot (the cluster is gone). */
  static void cancel(JobClient job) {
    try {
      if (!job.getJobStatus()
          .get(STATUS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
          .isGloballyTerminalState()) {
        job.cancel().get(30, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | TimeoutException | IllegalStateException e) {
      // ended, or the cluster is gone (a job's own MiniCluster stops when the job ends)
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
