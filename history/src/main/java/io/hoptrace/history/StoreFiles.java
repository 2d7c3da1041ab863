package io.hoptrace.history;

import io.hoptrace.history.CommitLog.Commit;
import io.hoptrace.history.PartBatch.TempFile;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.Incident;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Appends records to a store, a batch at a time, crash-safely: {@link #flush} writes the batch as
 * fsynced temporary files, makes a durable commit record ({@link CommitLog}) naming them and the
 * source offsets after the batch, publishes the files by atomic renames, then hands the offsets to
 * the caller's committer and forgets the record. {@link #recover} finishes what a crashed writer
 * left the same way and deletes temporary files no commit names. One instance per store (it holds
 * the store's lock file); not thread-safe. Used by {@link StoreWriter} (offsets of Kafka topics)
 * and directly by tests and the benchmark (no offsets).
 */
public final class StoreFiles implements AutoCloseable {

  /** Takes the offsets of a durable batch (e.g. commits them to Kafka). */
  @FunctionalInterface
  public interface OffsetCommitter {
    void commit(String clusterId, Map<TopicPartition, Long> offsets);
  }

  private final StoreLayout layout;
  private final CommitLog commits;
  private final PartBatch batch;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private StoreFiles(StoreLayout layout, FileChannel lockChannel, FileLock lock, PartBatch batch) {
    this.layout = layout;
    this.commits = new CommitLog(layout);
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.batch = batch;
  }

  /**
   * Opens a store for writing (creating its directory).
   *
   * @throws IllegalStateException when another writer holds the store
   */
  public static StoreFiles open(Path store) throws IOException {
    StoreLayout layout = new StoreLayout(store);
    Files.createDirectories(layout.root());
    FileChannel ch =
        FileChannel.open(
            layout.root().resolve(StoreLayout.LOCK_FILE),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      lock = null; // held by this JVM
    }
    if (lock == null) {
      ch.close();
      throw new IllegalStateException("store " + layout.root() + ": another writer is using it");
    }
    try {
      return new StoreFiles(layout, ch, lock, new PartBatch());
    } catch (SQLException e) {
      lock.release();
      ch.close();
      throw new IllegalStateException("cannot start DuckDB: " + e.getMessage(), e);
    }
  }

  public StoreLayout layout() {
    return layout;
  }

  /**
   * Finishes every commit a crashed writer left (renames, then its offsets to {@code committer}),
   * then deletes the temporary files no commit names.
   */
  public void recover(OffsetCommitter committer) throws IOException {
    List<Map.Entry<Path, Commit>> pending = commits.pending();
    Map<String, Map<TopicPartition, Long>> offsets = new LinkedHashMap<>();
    for (Map.Entry<Path, Commit> e : pending) {
      Commit c = e.getValue();
      for (TempFile f : c.files()) {
        StoreLayout.publish(f.temp(), f.target());
      }
      StoreLayout.remove(c.removes());
      Map<TopicPartition, Long> m =
          offsets.computeIfAbsent(c.clusterId(), k -> new LinkedHashMap<>());
      c.offsets().forEach((tp, o) -> m.merge(tp, o, Math::max));
    }
    offsets.forEach(committer::commit);
    for (Map.Entry<Path, Commit> e : pending) {
      commits.done(e.getKey());
    }
    commits.deleteTemporary();
    for (Path t : layout.tempFiles()) {
      Files.deleteIfExists(t);
    }
  }

  public void add(FlowRecord f) throws SQLException {
    batch.add(f);
  }

  public void add(Alert a) throws SQLException {
    batch.add(a);
  }

  public void add(Incident i) throws SQLException {
    batch.add(i);
  }

  /** Records in the current batch. */
  public int pending() {
    return batch.records();
  }

  /**
   * Makes the batch durable and visible (see the class comment), then passes {@code offsets} to
   * {@code committer}; returns the number of files published (0 for an empty batch, whose offsets
   * are passed on all the same).
   */
  public int flush(String clusterId, Map<TopicPartition, Long> offsets, OffsetCommitter committer)
      throws IOException, SQLException {
    if (batch.records() == 0) {
      committer.commit(clusterId, offsets);
      return 0;
    }
    if (layout.maxFlowSpanNanos() >= 0 || !layout.hasFiles(Dataset.FLOWS)) {
      layout.raiseMaxFlowSpan(batch.maxFlowSpanNanos()); // a store written before keeps none
    }
    List<TempFile> temp = batch.writeTemp(layout);
    Path commit = commits.write(new Commit(clusterId, temp, offsets));
    for (TempFile f : temp) {
      StoreLayout.publish(f.temp(), f.target());
    }
    committer.commit(clusterId, offsets);
    commits.done(commit);
    batch.clear();
    return temp.size();
  }

  /** Flushes a batch that has no source offsets. */
  public int flush() throws IOException, SQLException {
    return flush("", Map.of(), (c, o) -> {});
  }

  /**
   * Merges the files of up to {@code max} hour partitions of the flow datasets, those that ended at
   * least {@link Compaction#SETTLE_MINUTES} minutes before {@code nowMillis} and hold more than one
   * file, oldest first (see {@link Compaction}); returns how many were merged.
   */
  public int compact(long nowMillis, int max) throws IOException, SQLException {
    return new Compaction(layout, commits).run(nowMillis, max);
  }

  /**
   * Removes the hour partitions that ended more than {@code days} days before {@code nowMillis};
   * returns how many.
   */
  public int dropOlderThan(int days, long nowMillis) throws IOException {
    return layout.dropPartitionsBefore(Rows.epochHour(nowMillis * 1_000_000L) - days * 24L);
  }

  @Override
  public void close() throws IOException {
    try {
      batch.close();
    } catch (SQLException e) {
      throw new IOException("closing DuckDB: " + e.getMessage(), e);
    } finally {
      lock.release();
      lockChannel.close();
    }
  }
}
