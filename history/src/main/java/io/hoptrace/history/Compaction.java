package io.hoptrace.history;

import io.hoptrace.history.CommitLog.Commit;
import io.hoptrace.history.PartBatch.TempFile;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Merges the files of an hour partition of the flow datasets ({@code flows}, {@code flow_updates})
 * into one, sorted as the writer sorts a batch file ({@link Dataset#sortOrder}, row groups of
 * {@link Dataset#ROW_GROUP_ROWS} rows). Each batch writes one file per hour it touches, sorted on
 * its own, so a destination lookup read at least one row group of every batch file of the hour (9
 * at 417 k flows/hour and 50 000-record batches); in the merged file the address falls in one or
 * two row groups of the hour, and a query reads one footer instead of nine. {@code flow_hops} is
 * left as written (no sort order: merging would only save footers, at the cost of rewriting the
 * largest dataset).
 *
 * <p>Crash-safe with the writer's commit records ({@link CommitLog}): the merged file is written to
 * a temporary name and fsynced; then a durable commit record names it, its final name and the files
 * it replaces; then it is renamed into place and the replaced files are deleted; then the record
 * goes. A crash before the record leaves the temporary file, which recovery deletes; after it,
 * recovery ({@link StoreFiles#recover}) repeats the rename and the deletions. So no row is lost
 * and, once recovered, none is stored twice. A reader that lists the hour in the moment between the
 * rename and the deletions (or after a crash there, until the writer starts again) sees the hour's
 * rows twice; one that listed it before and opens a replaced file after gets a file-not-found error
 * (retention's removals already have that race).
 */
final class Compaction {
  /**
   * Minutes after an hour ends before its partition is merged: most final records of the hour's
   * flows arrive within the detection's idle timeout (60 s) plus a batch (30 s) after the hour; a
   * later one (a long flow) adds a file that the next merge takes in.
   */
  static final int SETTLE_MINUTES = 10;

  private final StoreLayout layout;
  private final CommitLog commits;

  Compaction(StoreLayout layout, CommitLog commits) {
    this.layout = layout;
    this.commits = commits;
  }

  int run(long nowMillis, int max) throws IOException, SQLException {
    long cutoff = Math.floorDiv(nowMillis - SETTLE_MINUTES * 60_000L, 3_600_000L);
    int merged = 0;
    for (Dataset d : Dataset.values()) {
      if (d.sortOrder().isEmpty()) {
        continue;
      }
      for (Map.Entry<Long, Path> e : layout.hourPartitions(d).entrySet()) {
        if (merged >= max || e.getKey() + 1 > cutoff) {
          break;
        }
        List<Path> parts = StoreLayout.parquetFiles(e.getValue());
        if (parts.size() > 1) {
          merge(d, e.getValue(), parts);
          merged++;
        }
      }
    }
    return merged;
  }

  /** Merges {@code parts} (files of one partition of {@code d}) into one file there. */
  void merge(Dataset d, Path partition, List<Path> parts) throws IOException, SQLException {
    finish(prepare(d, partition, parts));
  }

  /** A merged file written and its commit record durable, not yet published. */
  record Prepared(Path commit, Commit record) {}

  /** Writes the merged file under a temporary name and its durable commit record. */
  Prepared prepare(Dataset d, Path partition, List<Path> parts) throws IOException, SQLException {
    Path target = partition.resolve(StoreLayout.newPartName());
    Path temp = partition.resolve(target.getFileName() + StoreLayout.TMP_SUFFIX);
    writeMerged(d, parts, temp);
    Commit c = new Commit("", List.of(new TempFile(temp, target)), Map.of(), parts);
    return new Prepared(commits.write(c), c);
  }

  /** Writes {@code parts} merged and sorted to {@code temp} and forces it to disk. */
  static void writeMerged(Dataset d, List<Path> parts, Path temp) throws SQLException, IOException {
    String files =
        parts.stream()
            .map(p -> "'" + p.toString().replace("'", "''") + "'")
            .collect(Collectors.joining(", ", "[", "]"));
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = db.createStatement()) {
      s.execute("SET autoinstall_known_extensions=false");
      s.execute("SET autoload_known_extensions=false");
      s.execute(
          "COPY (SELECT * FROM read_parquet("
              + files
              + ", hive_partitioning = false) ORDER BY "
              + d.sortOrder()
              + ") TO '"
              + temp.toString().replace("'", "''")
              + "' (FORMAT parquet, ROW_GROUP_SIZE "
              + Dataset.ROW_GROUP_ROWS
              + ")");
    }
    StoreLayout.fsync(temp);
  }

  /** Publishes the merged file, deletes the files it replaces, then forgets the record. */
  void finish(Prepared p) throws IOException {
    for (TempFile f : p.record().files()) {
      StoreLayout.publish(f.temp(), f.target());
    }
    StoreLayout.remove(p.record().removes());
    commits.done(p.commit());
  }
}
