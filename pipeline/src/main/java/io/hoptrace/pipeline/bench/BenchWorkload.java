package io.hoptrace.pipeline.bench;

import io.hoptrace.contract.FlowKey;
import io.hoptrace.decode.SummaryMapper;
import io.hoptrace.replay.Manifest;
import io.hoptrace.replay.MergedCaptures;
import io.hoptrace.replay.Recordings;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.IcmpInfo;
import io.hoptrace.schema.PacketSummary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The detection benchmark's input: copies of a recorded multi-hop capture (e.g. the bundled {@code
 * healthy} scenario), each copy a new set of conversations, many of them open at once, in
 * capture-time order across copies.
 *
 * <p>Copy {@code c} is the template shifted by {@code c * step} in event time, with every client
 * port and ICMP echo id of the template replaced by one of its own (the same replacement on every
 * hop and every NAT-ed tuple, so the copy is stitched exactly as the template is), its flow keys
 * recomputed and its fingerprints made unique. A copy is therefore a healthy conversation set of
 * its own, not a replay of the template's sequence numbers into the template's conversations (which
 * would look like retransmissions). Client ports are the template's non-zero ports that are not
 * server ports: below 1024, or the destination port of a TCP SYN. Replacement ports cycle through
 * 10000..59999, so a port comes back only after 50 000 / (client ports per copy) copies.
 */
public final class BenchWorkload implements Iterator<MergedCaptures.Item> {
  private static final int PORT_BASE = 10_000;
  private static final int PORT_RANGE = 50_000;

  private final List<MergedCaptures.Item> template;
  private final long step;
  private final long limit;
  private final Map<Integer, Integer> clientPortIndex = new HashMap<>();
  private final PriorityQueue<long[]> cursors =
      new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0])); // {ts, copy, index}
  private long nextCopy;
  private long produced;

  /**
   * @param template the recording, in capture-time order
   * @param concurrency about how many copies are in flight at once (≥ 1): copies start {@code span
   *     / concurrency} apart, where span is the template's duration
   * @param limit how many summaries to produce at least (rounded up to whole copies)
   */
  public BenchWorkload(List<MergedCaptures.Item> template, int concurrency, long limit) {
    if (template.isEmpty()) {
      throw new IllegalArgumentException("the template has no packet summaries");
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1");
    }
    this.template = template;
    this.limit = limit;
    long span =
        template.get(template.size() - 1).summary().getTsNanos()
            - template.get(0).summary().getTsNanos();
    this.step = Math.max(1_000_000L, (span + 1_000_000_000L) / concurrency);
    Set<Integer> server = new HashSet<>();
    for (MergedCaptures.Item it : template) {
      PacketSummary s = it.summary();
      if (s.getTcp() != null && (s.getTcp().getFlags() & 0x12) == 0x02) {
        server.add(s.getDport());
      }
    }
    for (MergedCaptures.Item it : template) {
      for (int port : new int[] {it.summary().getSport(), it.summary().getDport()}) {
        if (port >= 1024 && !server.contains(port)) {
          clientPortIndex.putIfAbsent(port, clientPortIndex.size());
        }
      }
    }
  }

  /** The bundled {@code healthy} lab recording (deploy/lab/recordings), merged in time order. */
  public static List<MergedCaptures.Item> healthyTemplate()
      throws io.hoptrace.capture.CaptureFileException {
    return MergedCaptures.readAll(
        healthyManifest().hops(), io.hoptrace.decode.DecoderConfig.defaults());
  }

  /** The manifest of the bundled {@code healthy} recording. */
  public static Manifest healthyManifest() {
    return Recordings.manifest("healthy");
  }

  /** Client ports (and echo ids) of the template that every copy replaces. */
  public Set<Integer> clientPorts() {
    return clientPortIndex.keySet();
  }

  /** Event time between the starts of two copies (ns). */
  public long step() {
    return step;
  }

  /** Copies to produce: whole copies only (a copy cut short would leave requests unanswered). */
  public long copies() {
    return (limit + template.size() - 1) / template.size();
  }

  /** Summaries this workload produces: {@link #copies()} whole copies. */
  public long size() {
    return copies() * template.size();
  }

  @Override
  public boolean hasNext() {
    return produced < size();
  }

  @Override
  public MergedCaptures.Item next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    while (nextCopy < copies() && (cursors.isEmpty() || nextCopyStart() <= cursors.peek()[0])) {
      cursors.add(new long[] {nextCopyStart(), nextCopy, 0});
      nextCopy++;
    }
    long[] cur = cursors.poll();
    long copy = cur[1];
    int index = (int) cur[2];
    if (index + 1 < template.size()) {
      cursors.add(new long[] {tsOf(copy, index + 1), copy, index + 1});
    }
    produced++;
    return copyOf(template.get(index), copy);
  }

  private long nextCopyStart() {
    return tsOf(nextCopy, 0);
  }

  private long tsOf(long copy, int index) {
    return template.get(index).summary().getTsNanos() + copy * step;
  }

  private int port(int port, long copy) {
    Integer i = clientPortIndex.get(port);
    if (i == null) {
      return port;
    }
    return PORT_BASE + (int) ((copy * clientPortIndex.size() + i) % PORT_RANGE);
  }

  private MergedCaptures.Item copyOf(MergedCaptures.Item it, long copy) {
    PacketSummary s = PacketSummary.newBuilder(it.summary()).build();
    s.setTsNanos(s.getTsNanos() + copy * step);
    s.setFingerprint(s.getFingerprint() ^ ((copy + 1) * 0x9E3779B97F4A7C15L));
    s.setSport(port(s.getSport(), copy));
    s.setDport(port(s.getDport(), copy));
    s.setCommunityId(null);
    if (s.getSrc() == null || s.getDst() == null) {
      return new MergedCaptures.Item(it.key(), s, it.hop());
    }
    String key =
        SummaryMapper.flowKeyOf(
            FiveTuple.newBuilder()
                .setIpVersion(s.getIpVersion())
                .setSrc(s.getSrc())
                .setDst(s.getDst())
                .setProto(s.getProto())
                .setSport(s.getSport())
                .setDport(s.getDport())
                .build());
    s.setFlowKey(key);
    IcmpInfo icmp = s.getIcmp();
    if (icmp != null) {
      if (icmp.getId() >= 0) {
        icmp.setId(port(icmp.getId(), copy));
      }
      FiveTuple q = icmp.getQuoted();
      if (q != null) {
        q.setSport(port(q.getSport(), copy));
        q.setDport(port(q.getDport(), copy));
        FiveTuple qi = icmp.getQuotedInner();
        if (qi != null) {
          qi.setSport(port(qi.getSport(), copy));
          qi.setDport(port(qi.getDport(), copy));
        }
        // an ICMP error is keyed by the flow it quotes (SummaryMapper.partitionKey)
        if (!it.key().equals(it.summary().getFlowKey())) {
          key = SummaryMapper.flowKeyOf(FlowKey.quotedFlow(icmp));
        }
      }
    }
    return new MergedCaptures.Item(key, s, it.hop());
  }
}
