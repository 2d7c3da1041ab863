package io.hoptrace.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where things are in a store directory, and the file operations that keep it consistent: {@code
 * <dataset>/date=YYYY-MM-DD/hour=HH/part-<uuid>.parquet} for data, {@code .tmp} files beside them
 * while they are written (never matched by the views' {@code *.parquet} globs), {@value
 * #COMMITS_DIR}/ for the writer's pending commits and {@value #LOCK_FILE} held by the one writer.
 */
public final class StoreLayout {
  static final String COMMITS_DIR = "_commits";
  static final String LOCK_FILE = ".writer.lock";
  static final String TMP_SUFFIX = ".tmp";
  static final String FLOW_SPAN_FILE = "_meta/max-flow-span-ns";
  private static final Pattern PARTITION = Pattern.compile("date=(\\d{4}-\\d{2}-\\d{2})");
  private static final Pattern HOUR = Pattern.compile("hour=(\\d{1,2})");

  private final Path root;

  public StoreLayout(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** The directory of one dataset. */
  public Path dir(Dataset d) {
    return root.resolve(d.dir());
  }

  /** The glob of one dataset's files, for {@code read_parquet}. */
  public String glob(Dataset d) {
    return dir(d) + "/*/*/*.parquet";
  }

  /** The partition directory of an hour since the epoch (UTC). */
  public Path partition(Dataset d, long epochHour) {
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(epochHour, 24));
    return dir(d)
        .resolve("date=" + date)
        .resolve(String.format("hour=%02d", Math.floorMod(epochHour, 24)));
  }

  /** A new, unique file name for a partition. */
  static String newPartName() {
    return "part-" + UUID.randomUUID() + ".parquet";
  }

  Path commitsDir() {
    return root.resolve(COMMITS_DIR);
  }

  /** Whether the dataset holds at least one Parquet file. */
  public boolean hasFiles(Dataset d) {
    Path dir = dir(d);
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.walk(dir, 3)) {
      return s.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Every {@code .tmp} file left in the datasets (by a writer that died while writing). */
  List<Path> tempFiles() throws IOException {
    List<Path> out = new ArrayList<>();
    for (Dataset d : Dataset.values()) {
      if (Files.isDirectory(dir(d))) {
        try (Stream<Path> s = Files.walk(dir(d), 3)) {
          s.filter(p -> p.getFileName().toString().endsWith(TMP_SUFFIX)).forEach(out::add);
        }
      }
    }
    return out;
  }

  /**
   * Removes the hour partitions (of every dataset) whose hour ended before {@code cutoffEpochHour}
   * (exclusive); returns how many were removed. Empty date directories go too.
   */
  int dropPartitionsBefore(long cutoffEpochHour) throws IOException {
    int dropped = 0;
    for (Dataset d : Dataset.values()) {
      if (!Files.isDirectory(dir(d))) {
        continue;
      }
      for (Path day : list(dir(d))) {
        Matcher m = PARTITION.matcher(day.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        long dayHour = LocalDate.parse(m.group(1)).toEpochDay() * 24;
        for (Path hour : list(day)) {
          Matcher h = HOUR.matcher(hour.getFileName().toString());
          if (h.matches() && dayHour + Integer.parseInt(h.group(1)) + 1 <= cutoffEpochHour) {
            deleteTree(hour);
            dropped++;
          }
        }
        if (list(day).isEmpty()) {
          Files.deleteIfExists(day);
        }
      }
    }
    return dropped;
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * The longest span of any flow record written (ns), or -1 when the store does not say: a flow is
   * stored under the hour of its first_seen, so with this bound a query for flows active since T
   * reads only the partitions from T minus the span on.
   */
  public long maxFlowSpanNanos() {
    Path f = root.resolve(FLOW_SPAN_FILE);
    try {
      return Files.isRegularFile(f) ? Long.parseLong(Files.readString(f).strip()) : -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Raises the stored longest flow span to {@code nanos} if it is larger (durably: written to a
   * temporary name, fsynced, renamed). Called before the files of a batch become visible, so the
   * bound holds for every visible row.
   */
  void raiseMaxFlowSpan(long nanos) throws IOException {
    if (nanos <= maxFlowSpanNanos()) {
      return;
    }
    Path f = root.resolve(FLOW_SPAN_FILE);
    Files.createDirectories(f.getParent());
    Path tmp = f.resolveSibling(f.getFileName() + TMP_SUFFIX);
    Files.writeString(tmp, Long.toString(nanos));
    fsync(tmp);
    publish(tmp, f);
  }

  /**
   * Deletes files (a missing one counts as deleted: a removal repeated by recovery) and makes that
   * durable (fsyncs their directories).
   */
  static void remove(List<Path> files) throws IOException {
    java.util.Set<Path> dirs = new java.util.LinkedHashSet<>();
    for (Path f : files) {
      Files.deleteIfExists(f);
      dirs.add(f.getParent());
    }
    for (Path d : dirs) {
      if (Files.isDirectory(d)) {
        fsync(d);
      }
    }
  }

  /** The hour partitions of a dataset, oldest first, each with its hour since the epoch (UTC). */
  java.util.SortedMap<Long, Path> hourPartitions(Dataset d) throws IOException {
    java.util.SortedMap<Long, Path> out = new java.util.TreeMap<>();
    if (!Files.isDirectory(dir(d))) {
      return out;
    }
    for (Path day : list(dir(d))) {
      Matcher m = PARTITION.matcher(day.getFileName().toString());
      if (!m.matches() || !Files.isDirectory(day)) {
        continue;
      }
      long dayHour = LocalDate.parse(m.group(1)).toEpochDay() * 24;
      for (Path hour : list(day)) {
        Matcher h = HOUR.matcher(hour.getFileName().toString());
        if (h.matches()) {
          out.put(dayHour + Integer.parseInt(h.group(1)), hour);
        }
      }
    }
    return out;
  }

  /** The Parquet files of one partition directory, by name. */
  static List<Path> parquetFiles(Path partition) throws IOException {
    return list(partition).stream()
        .filter(p -> p.getFileName().toString().endsWith(".parquet"))
        .toList();
  }

  /** Forces a file's content (or a directory's entries) to disk. */
  static void fsync(Path p) throws IOException {
    boolean dir = Files.isDirectory(p);
    try (FileChannel c =
        FileChannel.open(p, dir ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
      c.force(true);
    }
  }

  /**
   * Renames {@code from} to {@code to} atomically and makes the rename durable (fsyncs the target's
   * directory). A missing {@code from} with an existing {@code to} counts as done (a rename
   * repeated by recovery).
   */
  static void publish(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      if (!Files.exists(to)) {
        throw e;
      }
    }
    fsync(to.getParent());
  }
}
