package io.hoptrace.replay;

import io.hoptrace.capture.CaptureFileException;
import io.hoptrace.capture.CaptureFileReader;
import io.hoptrace.capture.CaptureStats;
import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.PacketHandler;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.decode.PacketSummarizer;
import io.hoptrace.schema.PacketSummary;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import org.agrona.DirectBuffer;

/**
 * The packet summaries of several hops' captures, merged in capture-timestamp order (ties: the
 * order of the hops), as the sensors of those hops would have published them live. Detection is
 * event-time based, so a replay must not send one hop's whole file before the next.
 *
 * <p>Each packet goes through the sensor's {@link PacketSummarizer}, as in {@link
 * io.hoptrace.publish.SensorPipeline} (every packet becomes a summary whatever its decode status,
 * with the same key); that class replays one file at a time, so the merge reads one packet ahead
 * per file here. Memory: one pending summary per hop.
 */
public final class MergedCaptures implements Iterator<MergedCaptures.Item>, AutoCloseable {

  /**
   * One summary to publish: its partition key (null for non-IP packets), the hop it is from, and
   * the captured packet itself when the merge was opened to keep packets ({@link #open(List,
   * DecoderConfig, boolean)}), else null.
   */
  public record Item(String key, PacketSummary summary, HopContext hop, Packet packet) {
    /** An item without its packet. */
    public Item(String key, PacketSummary summary, HopContext hop) {
      this(key, summary, hop, null);
    }
  }

  /** A captured packet's bytes (a copy), link type and length on the wire. */
  public record Packet(int linkType, byte[] data, int wireLength) {}

  private final List<Cursor> cursors = new ArrayList<>();
  private final PriorityQueue<Cursor> queue =
      new PriorityQueue<>(
          (a, b) -> {
            int c = Long.compare(a.nextTs, b.nextTs);
            return c != 0 ? c : Integer.compare(a.index, b.index);
          });

  private MergedCaptures() {}

  /**
   * Opens every hop's capture.
   *
   * @throws CaptureFileException when a file cannot be opened (the others are closed)
   */
  public static MergedCaptures open(List<Manifest.Hop> hops, DecoderConfig config)
      throws CaptureFileException {
    return open(hops, config, false);
  }

  /**
   * Opens every hop's capture; with {@code keepPackets} each {@link Item} also carries a copy of
   * its packet's bytes ({@link Item#packet()}).
   *
   * @throws CaptureFileException when a file cannot be opened (the others are closed)
   */
  public static MergedCaptures open(
      List<Manifest.Hop> hops, DecoderConfig config, boolean keepPackets)
      throws CaptureFileException {
    MergedCaptures m = new MergedCaptures();
    try {
      for (Manifest.Hop h : hops) {
        Cursor c = new Cursor(m.cursors.size(), h, config, keepPackets);
        m.cursors.add(c);
        if (c.advance()) {
          m.queue.add(c);
        }
      }
    } catch (CaptureFileException | RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  /**
   * Opens and closes every hop's capture: a file that is not a capture at all (text, empty, cut
   * inside its header) is reported before anything else starts.
   *
   * @throws CaptureFileException naming the hop and the file
   */
  public static void check(List<Manifest.Hop> hops) throws CaptureFileException {
    for (Manifest.Hop h : hops) {
      Cursor.open(h).close();
    }
  }

  @Override
  public boolean hasNext() {
    return !queue.isEmpty();
  }

  @Override
  public Item next() {
    Cursor c = queue.poll();
    if (c == null) {
      throw new NoSuchElementException();
    }
    Item item = new Item(c.nextKey, c.next, c.hop.context(), c.nextPacket);
    if (c.advance()) {
      queue.add(c);
    }
    return item;
  }

  /** Per hop id: what its reader read and skipped so far. */
  public Map<String, CaptureStats> stats() {
    Map<String, CaptureStats> out = new LinkedHashMap<>();
    for (Cursor c : cursors) {
      out.put(c.hop.id(), c.reader.stats());
    }
    return out;
  }

  @Override
  public void close() {
    for (Cursor c : cursors) {
      c.reader.close();
    }
  }

  private static final class Cursor implements PacketHandler {
    final int index;
    final Manifest.Hop hop;
    final CaptureFileReader reader;
    final PacketSummarizer summarizer;
    final boolean keepPackets;
    PacketSummary next;
    String nextKey;
    long nextTs;
    Packet nextPacket;

    Cursor(int index, Manifest.Hop hop, DecoderConfig config, boolean keepPackets)
        throws CaptureFileException {
      this.index = index;
      this.hop = hop;
      this.keepPackets = keepPackets;
      this.summarizer = new PacketSummarizer(config);
      this.reader = open(hop);
    }

    /** Opens the hop's capture; an error names the hop. */
    static CaptureFileReader open(Manifest.Hop hop) throws CaptureFileException {
      try {
        return CaptureFileReader.open(hop.file(), hop.context());
      } catch (CaptureFileException e) {
        throw new CaptureFileException("hop " + hop.id() + ": " + e.getMessage(), e);
      }
    }

    boolean advance() {
      next = null;
      reader.read(this, 1);
      return next != null;
    }

    @Override
    public void onPacket(
        HopContext ctx,
        int linkType,
        DirectBuffer buffer,
        int offset,
        int capturedLength,
        int wireLength,
        long tsNanos) {
      next =
          summarizer.summarize(ctx, linkType, buffer, offset, capturedLength, wireLength, tsNanos);
      nextKey = summarizer.key();
      nextTs = tsNanos;
      if (keepPackets) {
        byte[] data = new byte[capturedLength];
        buffer.getBytes(offset, data);
        nextPacket = new Packet(linkType, data, wireLength);
      }
    }
  }

  /** Reads every summary of {@code hops} into a list (small captures, tests). */
  public static List<Item> readAll(List<Manifest.Hop> hops, DecoderConfig config)
      throws CaptureFileException {
    List<Item> out = new ArrayList<>();
    try (MergedCaptures m = open(hops, config)) {
      for (Iterator<Item> it = m; it.hasNext(); ) {
        out.add(it.next());
      }
    }
    return out;
  }
}
