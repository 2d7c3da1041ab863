package io.hoptrace.spool;

import io.hoptrace.metrics.SensorMetrics;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * A bounded, append-only, on-disk queue of records (the sensor's spool, docs/reliability.md "Broker
 * outages and the spool"). Records are appended in order by any thread, read in the same order by
 * one sender, and removed only when the sender commits a position after which everything before it
 * is in Kafka.
 *
 * <p><b>Layout.</b> A directory holds segment files {@code <first index>.seg}, each a run of
 * records {@code [int payload length][int CRC-32 of payload][payload]}, payload {@code [long append
 * time ms][byte kind][int key length, -1 for none][key UTF-8][value]}; a file {@value #COMMITTED}
 * with the committed position ({@code index segment offset}, replaced atomically: written to a
 * temporary file, fsync'ed, renamed); {@value #ID} with the spool's id (a UUID, made once); and the
 * lock ({@link SpoolLock}: one directory, one sensor). A segment is closed and a new one started
 * past {@code segmentBytes}; a segment whose every record is committed is deleted.
 *
 * <p><b>Durability.</b> Appends go to a 256 KiB buffer written to the file whenever the sender
 * reads (it reads at least every 100 ms) or the buffer fills, and are fsync'ed by {@link #sync()}
 * (the sender calls it every second), at a segment's end and at close. A sensor that is killed
 * loses what was in its buffer (at most ~100 ms of records); the OS's page cache survives the
 * process, so only a machine crash loses the unsynced last second. A record cut off at the end of a
 * segment (crash mid-write: short, or its CRC does not match) is found when the spool is opened,
 * counted ({@link #torn()}) and cut away; reading goes on with the next segment.
 *
 * <p><b>Bound, and why the newest records are dropped.</b> When a record would take the records not
 * yet committed past {@code maxBytes}, that record (the newest) is dropped and counted ({@link
 * #dropped()}); nothing already spooled is ever removed unsent. Why newest, not oldest: (1) the
 * spool then holds one unbroken stretch from the outage's start, and the outage's start — what the
 * network did when things went wrong — is what an incident needs most; the gap is one interval that
 * ends when space frees again, instead of a sliding hole in the middle of every conversation; (2)
 * the committed position only moves forward and a segment is only deleted when sent, so a crash can
 * never leave a half-deleted record behind; (3) the count is exact per record, where dropping the
 * oldest a segment at a time would drop more than the overflow. The bound counts record bytes not
 * yet committed; the directory may hold up to one segment more (the committed head of the first
 * segment).
 *
 * <p>Thread-safe: appends, reads and commits are serialized on the spool.
 */
public final class Spool implements AutoCloseable, SensorMetrics.SpoolStats {

  /** The default bound of {@code --spool-max-bytes}: 1 GiB. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;

  /** The smallest bound accepted (a few hundred summaries). */
  public static final long MIN_MAX_BYTES = 64L * 1024;

  static final String COMMITTED = "committed";
  static final String ID = "id";
  static final String SUFFIX = ".seg";
  static final int HEADER = 8;
  static final int MIN_PAYLOAD = 8 + 1 + 4;
  static final int MAX_PAYLOAD = 16 << 20;
  private static final long MAX_SEGMENT_BYTES = 64L << 20;

  /** A place in the spool: the record {@code index}, in the segment starting at {@code segment}. */
  public record Position(long index, long segment, long offset) {}

  /** One spooled record. */
  public record Entry(byte kind, String key, byte[] value, long appendMillis) {}

  /** Records read, and the positions before the first and after the last. */
  public record Batch(Position start, Position end, List<Entry> entries) {
    public boolean isEmpty() {
      return entries.isEmpty();
    }
  }

  private static final class Segment {
    final long base;
    final Path path;
    long records;
    long bytes;

    Segment(long base, Path path) {
      this.base = base;
      this.path = path;
    }

    long end() {
      return base + records;
    }
  }

  private final Path dir;
  private final SpoolLock lock;
  private final String id;
  private final long maxBytes;
  private final long segmentBytes;
  private final LongSupplier clockMillis;
  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  private final ByteBuffer writeBuf = ByteBuffer.allocate(256 * 1024);
  private final CRC32 crc = new CRC32();
  private RandomAccessFile active;
  private Segment activeSegment;
  private RandomAccessFile reading;
  private Segment readingSegment;
  private long endIndex;
  private Position committed;
  private Position cursor;
  private long pendingBytes;
  private long pendingRecords;
  private long oldestMillis;
  private long dropped;
  private final long torn;
  private boolean dirty;

  private Spool(Path dir, SpoolLock lock, long maxBytes, long segmentBytes, LongSupplier clock)
      throws IOException {
    this.dir = dir;
    this.lock = lock;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.clockMillis = clock;
    this.id = SpoolFormat.readOrMakeId(dir.resolve(ID));
    this.torn = recover();
  }

  /**
   * Opens (creating it if needed) the spool in {@code dir}, bounded to {@code maxBytes} of records
   * not yet sent: locks it, then reads what an earlier sensor left (torn last records cut away).
   *
   * @throws SpoolLock.SpoolInUseException when another sensor has the directory
   * @throws UncheckedIOException when it cannot be created, locked or read (naming the directory)
   */
  public static Spool open(Path dir, long maxBytes) {
    return open(
        dir,
        maxBytes,
        Math.max(4096, Math.min(MAX_SEGMENT_BYTES, maxBytes / 8)),
        System::currentTimeMillis);
  }

  /** For tests: the segment size and the clock (for record ages) of one's own. */
  static Spool open(Path dir, long maxBytes, long segmentBytes, LongSupplier clockMillis) {
    if (maxBytes < MIN_MAX_BYTES) {
      throw new IllegalArgumentException(
          "spool bound " + maxBytes + " bytes: must be at least " + MIN_MAX_BYTES);
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("spool directory " + dir + ": cannot create it: " + e, e);
    }
    SpoolLock lock = SpoolLock.acquire(dir);
    try {
      return new Spool(dir, lock, maxBytes, segmentBytes, clockMillis);
    } catch (IOException e) {
      lock.close();
      throw new UncheckedIOException("spool directory " + dir + ": " + e, e);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  // ------------------------------------------------------------------ recovery

  /** Reads the segments and the committed position; returns the torn records cut away. */
  private long recover() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().matches("[0-9]{20}\\" + SUFFIX)).toList();
    }
    long tornFound = 0;
    for (Path p : files) {
      String name = p.getFileName().toString();
      Segment seg = new Segment(Long.parseLong(name.substring(0, 20)), p);
      long[] whole = SpoolFormat.scan(p);
      seg.records = whole[0];
      seg.bytes = whole[1];
      long valid = seg.bytes;
      if (valid < Files.size(p)) {
        tornFound++;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
          ch.truncate(valid);
          ch.force(true);
        }
      }
      segments.put(seg.base, seg);
    }
    committed = readCommitted();
    // segments wholly before the committed position were sent: a crash came before their deletion
    for (Segment s : List.copyOf(segments.values())) {
      if (s.base < committed.segment()) {
        segments.remove(s.base);
        Files.deleteIfExists(s.path);
      }
    }
    endIndex = segments.isEmpty() ? committed.index() : segments.lastEntry().getValue().end();
    cursor = committed;
    recount();
    return tornFound;
  }

  private Position readCommitted() throws IOException {
    Path file = dir.resolve(COMMITTED);
    Position first =
        segments.isEmpty()
            ? new Position(0, 0, 0)
            : new Position(segments.firstKey(), segments.firstKey(), 0);
    if (!Files.exists(file)) {
      return first;
    }
    String[] f = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
    Position p;
    try {
      p = new Position(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
    } catch (RuntimeException e) {
      throw new IOException(file + " is not 'index segment offset': " + String.join(" ", f));
    }
    Segment seg = segments.get(p.segment());
    if (seg == null) {
      // its segment was deleted (all sent) or never written: the next one's start
      Map.Entry<Long, Segment> next = segments.ceilingEntry(p.segment());
      return next == null
          ? new Position(Math.max(p.index(), endOf(segments)), p.segment(), 0)
          : new Position(next.getKey(), next.getKey(), 0);
    }
    if (p.offset() > seg.bytes || p.index() > seg.end()) {
      // the records it counted were torn away: resume at the segment's end
      return new Position(seg.end(), seg.base, seg.bytes);
    }
    return p;
  }

  private static long endOf(TreeMap<Long, Segment> segments) {
    return segments.isEmpty() ? 0 : segments.lastEntry().getValue().end();
  }

  /** Pending bytes and records, and the oldest pending record's time, from the segments. */
  private void recount() throws IOException {
    long bytes = 0;
    long records = 0;
    for (Segment s : segments.tailMap(committed.segment(), true).values()) {
      bytes += s.bytes;
      records += s.records;
    }
    Segment first = segments.get(committed.segment());
    if (first != null) {
      bytes -= committed.offset();
      records -= committed.index() - first.base;
    }
    pendingBytes = bytes;
    pendingRecords = records;
    oldestMillis = records > 0 ? readAt(firstPending()).entry().appendMillis() : 0;
  }

  /** The committed position, moved past segments it is at the end of. */
  private Position firstPending() {
    Position at = committed;
    Segment s = segments.get(at.segment());
    while (s != null && at.index() >= s.end()) {
      Map.Entry<Long, Segment> next = segments.higherEntry(s.base);
      if (next == null) {
        break;
      }
      s = next.getValue();
      at = new Position(s.base, s.base, 0);
    }
    return at;
  }

  // ------------------------------------------------------------------ append

  /**
   * Appends one record, unless the records not yet sent would pass the bound: then it is dropped
   * and counted.
   *
   * @return whether it was spooled
   */
  public synchronized boolean append(byte kind, String key, byte[] value) {
    byte[] k = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    int payload = MIN_PAYLOAD + (k == null ? 0 : k.length) + value.length;
    long size = HEADER + (long) payload;
    if (payload > MAX_PAYLOAD || pendingBytes + size > maxBytes) {
      dropped++;
      return false;
    }
    long now = clockMillis.getAsLong();
    try {
      if (activeSegment == null
          || (activeSegment.bytes > 0 && activeSegment.bytes + size > segmentBytes)) {
        roll();
      }
      if (writeBuf.remaining() < size) {
        flushWrites();
      }
      ByteBuffer buf = writeBuf.remaining() >= size ? writeBuf : ByteBuffer.allocate((int) size);
      SpoolFormat.put(buf, crc, now, kind, k, value);
      if (buf != writeBuf) {
        active.write(buf.array(), 0, buf.position());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("spool " + dir + ": " + e, e);
    }
    activeSegment.records++;
    activeSegment.bytes += size;
    endIndex++;
    if (pendingRecords == 0) {
      oldestMillis = now;
    }
    pendingRecords++;
    pendingBytes += size;
    dirty = true;
    return true;
  }

  private void roll() throws IOException {
    if (active != null) {
      flushWrites();
      active.getFD().sync();
      active.close();
    }
    Segment last = segments.isEmpty() ? null : segments.lastEntry().getValue();
    if (last != null && activeSegment == null && last.bytes < segmentBytes) {
      activeSegment = last; // reopened after a restart: append to it
    } else {
      activeSegment =
          new Segment(endIndex, dir.resolve(String.format("%020d%s", endIndex, SUFFIX)));
      segments.put(activeSegment.base, activeSegment);
    }
    active = new RandomAccessFile(activeSegment.path.toFile(), "rw");
    active.seek(activeSegment.bytes);
  }

  private void flushWrites() throws IOException {
    if (writeBuf.position() > 0) {
      active.write(writeBuf.array(), 0, writeBuf.position());
      writeBuf.clear();
    }
  }

  /** Writes buffered appends to the file and fsyncs it. */
  public synchronized void sync() {
    if (!dirty || active == null) {
      return;
    }
    try {
      flushWrites();
      active.getFD().sync();
      dirty = false;
    } catch (IOException e) {
      throw new UncheckedIOException("spool " + dir + ": " + e, e);
    }
  }

  // ------------------------------------------------------------------ read and commit

  /**
   * Reads from the read position on, at most {@code maxRecords} records or (past the first) {@code
   * maxBytes} bytes, and moves the read position past them.
   */
  public synchronized Batch read(int maxRecords, long maxBytes) {
    Position start = cursor;
    List<Entry> out = new ArrayList<>();
    long bytes = 0;
    try {
      flushWrites();
      while (out.size() < maxRecords && (out.isEmpty() || bytes < maxBytes)) {
        Segment seg = segments.get(cursor.segment());
        if (seg == null || cursor.index() >= seg.end()) {
          Map.Entry<Long, Segment> next = segments.higherEntry(cursor.segment());
          if (next == null) {
            break;
          }
          cursor = new Position(next.getKey(), next.getKey(), 0);
          continue;
        }
        SpoolFormat.Read r = readAt(cursor);
        out.add(r.entry());
        bytes += r.size();
        cursor = new Position(cursor.index() + 1, cursor.segment(), cursor.offset() + r.size());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("spool " + dir + ": " + e, e);
    }
    return new Batch(start, cursor, out);
  }

  private SpoolFormat.Read readAt(Position p) throws IOException {
    if (readingSegment == null || readingSegment.base != p.segment()) {
      if (reading != null) {
        reading.close();
      }
      readingSegment = segments.get(p.segment());
      reading = new RandomAccessFile(readingSegment.path.toFile(), "r");
    }
    return SpoolFormat.read(reading, p.offset(), readingSegment.path);
  }

  /**
   * Moves the read position back to {@code p} (a batch's start whose sending failed; never before
   * the committed position).
   */
  public synchronized void rewind(Position p) {
    cursor = p.index() < committed.index() ? committed : p;
  }

  /**
   * Everything before {@code p} is in Kafka: records the position (atomically, fsync'ed), deletes
   * the segments wholly before it and frees their bytes from the bound.
   */
  public void commit(Position p) {
    List<Path> sent = new ArrayList<>();
    synchronized (this) {
      if (p.index() <= committed.index()) {
        return;
      }
      Segment at = segments.get(p.segment());
      Map.Entry<Long, Segment> next = segments.higherEntry(p.segment());
      if (at != null && p.index() >= at.end() && next != null && at != activeSegment) {
        p = new Position(p.index(), next.getKey(), 0); // the whole segment is sent
      }
      committed = p;
      for (Segment s : List.copyOf(segments.headMap(p.segment(), false).values())) {
        segments.remove(s.base);
        sent.add(s.path);
      }
      try {
        flushWrites();
        recount();
      } catch (IOException e) {
        throw new UncheckedIOException("spool " + dir + ": " + e, e);
      }
    }
    try {
      SpoolFormat.replaceAtomically(
          dir.resolve(COMMITTED), p.index() + " " + p.segment() + " " + p.offset() + "\n");
      for (Path s : sent) {
        if (readingSegment != null && readingSegment.path.equals(s)) {
          synchronized (this) {
            reading.close();
            reading = null;
            readingSegment = null;
          }
        }
        Files.deleteIfExists(s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("spool " + dir + ": " + e, e);
    }
  }

  // ------------------------------------------------------------------ state

  /** The spool's id, made when the directory was first used (names its Kafka transactions). */
  public String id() {
    return id;
  }

  public Path dir() {
    return dir;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** Bytes of records not yet sent. */
  @Override
  public synchronized long bytes() {
    return pendingBytes;
  }

  /** Records not yet sent. */
  @Override
  public synchronized long records() {
    return pendingRecords;
  }

  /** The committed position: every record before it is in Kafka. */
  public synchronized Position committed() {
    return committed;
  }

  /** Records dropped because the spool was full, since it was opened. */
  @Override
  public synchronized long dropped() {
    return dropped;
  }

  /** Torn records (cut off by a crash mid-write) found and cut away when the spool was opened. */
  @Override
  public long torn() {
    return torn;
  }

  /** Milliseconds since the oldest record not yet sent was spooled (0 when none is waiting). */
  @Override
  public synchronized long oldestAgeMillis() {
    return pendingRecords == 0 ? 0 : Math.max(0, clockMillis.getAsLong() - oldestMillis);
  }

  /** Writes and fsyncs what is buffered, closes the files and releases the directory. */
  @Override
  public synchronized void close() {
    try {
      if (active != null) {
        flushWrites();
        active.getFD().sync();
        active.close();
        active = null;
      }
      if (reading != null) {
        reading.close();
        reading = null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("spool " + dir + ": " + e, e);
    } finally {
      lock.close();
    }
  }

  @Override
  public String toString() {
    return "spool " + dir + " (" + Objects.toString(committed) + ")";
  }
}
