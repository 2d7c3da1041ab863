package io.hoptrace.reduce;

import io.hoptrace.capture.HopContext;
import io.hoptrace.decode.AddressTexts;
import io.hoptrace.decode.CommunityId;
import io.hoptrace.decode.DecodedPacket;
import io.hoptrace.decode.EncapInfo;
import io.hoptrace.decode.FlowKeys;
import io.hoptrace.decode.IpAddress;
import io.hoptrace.decode.SummaryMapper;
import io.hoptrace.schema.EncapType;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.PacketSummary;

/**
 * A {@link ReducerPacket} over the decoder's flyweight ({@link DecodedPacket}, reused for every
 * packet) on one hop: what a live sensor's capture thread hands the reducer. Folding a packet reads
 * numbers only: the table is probed with a reused {@link HopFlowKey} (hop and canonical 5-tuple as
 * bytes), outer addresses are compared with the folded packets' before any text is written. A
 * packet kept one by one becomes a {@link PacketSummary} ({@link SummaryMapper}, the same record
 * {@link SummaryPacket} would carry) with address texts from a per-thread cache and the flow's key
 * and Community ID from its table entry when an earlier packet wrote them. Not thread-safe: one per
 * capture thread, {@link #wrap} per packet.
 */
public final class DecodedPacketView implements ReducerPacket {
  private final AddressTexts texts = new AddressTexts();
  private final CommunityId communityIds = new CommunityId();
  private final HopFlowKey probe = new HopFlowKey();
  private HopContext hop;
  private DecodedPacket p;
  private long ts;
  private int captured;
  private int wire;
  private boolean probeSet;
  private String flowKey;

  /** Sets the next packet: decoded into {@code packet}, captured on {@code hop}. */
  public DecodedPacketView wrap(
      HopContext hop, long tsNanos, int capturedLength, int wireLength, DecodedPacket packet) {
    this.hop = hop;
    this.p = packet;
    this.ts = tsNanos;
    this.captured = capturedLength;
    this.wire = wireLength;
    this.probeSet = false;
    this.flowKey = null;
    return this;
  }

  @Override
  public long tsNanos() {
    return ts;
  }

  @Override
  public boolean hasFlow() {
    return p.hasIp();
  }

  @Override
  public int ipVersion() {
    return p.ipVersion();
  }

  @Override
  public int proto() {
    return p.proto();
  }

  @Override
  public int sport() {
    return p.sport();
  }

  @Override
  public int dport() {
    return p.dport();
  }

  @Override
  public boolean dns() {
    return p.hasDns();
  }

  @Override
  public boolean forward() {
    return p.flowForward();
  }

  @Override
  public long fingerprint() {
    return p.fingerprint();
  }

  @Override
  public boolean tcp() {
    return p.hasTcp();
  }

  @Override
  public int tcpFlags() {
    return p.hasTcp() ? p.tcpFlags() : 0;
  }

  @Override
  public long tcpSeq() {
    return p.tcpSeq();
  }

  @Override
  public long tcpAck() {
    return p.tcpAck();
  }

  @Override
  public int tcpWindow() {
    return p.tcpWindow();
  }

  @Override
  public int payloadLength() {
    return p.payloadLength();
  }

  @Override
  public int ipLength() {
    return p.ipLength();
  }

  @Override
  public int wireLength() {
    return wire;
  }

  @Override
  public Object tableKey() {
    if (!probeSet) {
      probe.set(hop, p);
      probeSet = true;
    }
    return probe;
  }

  @Override
  public Object newTableKey() {
    return ((HopFlowKey) tableKey()).copy();
  }

  @Override
  public String node() {
    return hop.node();
  }

  @Override
  public String pod() {
    return hop.pod();
  }

  @Override
  public String iface() {
    return hop.iface();
  }

  @Override
  public InterfaceRole role() {
    return hop.role();
  }

  @Override
  public String flowKey() {
    if (flowKey == null) {
      flowKey = FlowKeys.key(p);
    }
    return flowKey;
  }

  @Override
  public String src() {
    return texts.of(p.src());
  }

  @Override
  public String dst() {
    return texts.of(p.dst());
  }

  @Override
  public EncapType encapType() {
    return p.encapDepth() == 0 ? null : p.encap(0).type();
  }

  @Override
  public String outerSrc() {
    return texts.of(outer().outerSrc());
  }

  @Override
  public String outerDst() {
    return texts.of(outer().outerDst());
  }

  private EncapInfo outer() {
    return p.encap(0);
  }

  @Override
  public int outerDport() {
    return p.encapDepth() == 0 ? -1 : outer().outerDport();
  }

  @Override
  public PacketSummary summary(FlowTexts flow) {
    String key = flow != null && flow.flowKey != null ? flow.flowKey : null;
    if (key != null) {
      flowKey = key;
    }
    String cid = null;
    if (p.hasIp()) {
      cid = flow != null ? flow.communityId : null;
      if (cid == null) {
        cid = communityIds.of(p);
        if (flow != null) {
          flow.communityId = cid;
        }
      }
    }
    return SummaryMapper.toAvro(
        hop, ts, captured, wire, p, texts, p.hasIp() ? flowKey() : null, cid);
  }

  @Override
  public String partitionKey() {
    return p.hasIp() ? SummaryMapper.partitionKey(p, flowKey()) : null;
  }

  /** The address of {@code a} as text, from this view's cache (tests). */
  String text(IpAddress a) {
    return texts.of(a);
  }
}
