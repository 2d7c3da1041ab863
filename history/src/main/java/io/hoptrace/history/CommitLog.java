package io.hoptrace.history;

import io.hoptrace.history.PartBatch.TempFile;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;

/**
 * The writer's commit records: a batch is committed when its record — the temporary files with
 * their final names, and the topic offsets after the batch — is durable under {@value
 * StoreLayout#COMMITS_DIR}/ (written to a temporary name, fsynced, renamed). After that the renames
 * and the offset commit may be repeated any number of times ({@link StoreWriter} does so when it
 * starts), so a crash at any point either leaves the batch invisible with its offsets uncommitted
 * (it is read again) or makes it visible exactly once.
 */
final class CommitLog {
  private static final String SUFFIX = ".commit";
  private static final String CLUSTER = "cluster";
  private static final String FILE = "file.";
  private static final String OFFSET = "offset.";
  private static final String REMOVE = "remove.";

  /**
   * One commit: the Kafka cluster read, the files and the offsets after the batch; for a compaction
   * ({@link Compaction}) the one merged file and the files it replaces, to delete once it is
   * published.
   */
  record Commit(
      String clusterId,
      List<TempFile> files,
      Map<TopicPartition, Long> offsets,
      List<Path> removes) {
    Commit(String clusterId, List<TempFile> files, Map<TopicPartition, Long> offsets) {
      this(clusterId, files, offsets, List.of());
    }
  }

  private final StoreLayout layout;

  CommitLog(StoreLayout layout) {
    this.layout = layout;
  }

  /** Writes the commit record durably; returns its path (to delete once the commit is done). */
  Path write(Commit c) throws IOException {
    Path dir = layout.commitsDir();
    Files.createDirectories(dir);
    Properties p = new Properties();
    p.setProperty(CLUSTER, c.clusterId());
    int i = 0;
    for (TempFile f : c.files()) {
      p.setProperty(FILE + i++, rel(f.temp()) + "|" + rel(f.target()));
    }
    i = 0;
    for (Path f : c.removes()) {
      p.setProperty(REMOVE + i++, rel(f));
    }
    c.offsets()
        .forEach((tp, o) -> p.setProperty(OFFSET + tp.topic() + "." + tp.partition(), "" + o));
    String name = UUID.randomUUID().toString();
    Path temp = dir.resolve(name + SUFFIX + StoreLayout.TMP_SUFFIX);
    try (Writer w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
      p.store(w, "hoptrace store commit");
    }
    StoreLayout.fsync(temp);
    Path done = dir.resolve(name + SUFFIX);
    StoreLayout.publish(temp, done);
    return done;
  }

  /** The commit records a previous writer left (crashed before it finished them), oldest first. */
  List<Map.Entry<Path, Commit>> pending() throws IOException {
    Path dir = layout.commitsDir();
    List<Map.Entry<Path, Commit>> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
    }
    for (Path f : files) {
      out.add(Map.entry(f, read(f)));
    }
    return out;
  }

  /** Removes the unfinished (never committed) commit records. */
  void deleteTemporary() throws IOException {
    Path dir = layout.commitsDir();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path f : s.filter(f -> f.toString().endsWith(StoreLayout.TMP_SUFFIX)).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /** Deletes a finished commit record. */
  void done(Path commit) throws IOException {
    Files.deleteIfExists(commit);
    StoreLayout.fsync(commit.getParent());
  }

  private Commit read(Path f) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    List<TempFile> files = new ArrayList<>();
    Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    for (int i = 0; p.containsKey(FILE + i); i++) {
      String[] two = p.getProperty(FILE + i).split("\\|", 2);
      files.add(new TempFile(layout.root().resolve(two[0]), layout.root().resolve(two[1])));
    }
    List<Path> removes = new ArrayList<>();
    for (int i = 0; p.containsKey(REMOVE + i); i++) {
      removes.add(layout.root().resolve(p.getProperty(REMOVE + i)));
    }
    for (String k : p.stringPropertyNames()) {
      if (k.startsWith(OFFSET)) {
        String tp = k.substring(OFFSET.length());
        int dot = tp.lastIndexOf('.');
        offsets.put(
            new TopicPartition(tp.substring(0, dot), Integer.parseInt(tp.substring(dot + 1))),
            Long.parseLong(p.getProperty(k)));
      }
    }
    return new Commit(p.getProperty(CLUSTER, ""), files, offsets, removes);
  }

  private String rel(Path p) {
    return layout.root().relativize(p).toString();
  }
}
