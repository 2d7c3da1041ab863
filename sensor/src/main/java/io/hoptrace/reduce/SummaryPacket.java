package io.hoptrace.reduce;

import io.hoptrace.contract.HopId;
import io.hoptrace.schema.EncapLayer;
import io.hoptrace.schema.EncapType;
import io.hoptrace.schema.FlowDirection;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.TcpInfo;

/**
 * A {@link ReducerPacket} over a {@link PacketSummary} already built (replays, tests, benchmarks):
 * the reducer reads the summary's fields; its table key is the hop id and flow key joined. Reused:
 * {@link #wrap} sets the next packet.
 */
public final class SummaryPacket implements ReducerPacket {
  private PacketSummary p;
  private String key;
  private TcpInfo tcp;
  private EncapLayer outer;

  /** Sets the packet and the key it would be published under in full mode. */
  public SummaryPacket wrap(String partitionKey, PacketSummary summary) {
    this.p = summary;
    this.key = partitionKey;
    this.tcp = summary.getTcp();
    this.outer = summary.getEncap().isEmpty() ? null : summary.getEncap().get(0);
    return this;
  }

  @Override
  public long tsNanos() {
    return p.getTsNanos();
  }

  @Override
  public boolean hasFlow() {
    return p.getIpVersion() != 0
        && p.getFlowKey() != null
        && p.getSrc() != null
        && p.getDst() != null;
  }

  @Override
  public int ipVersion() {
    return p.getIpVersion();
  }

  @Override
  public int proto() {
    return p.getProto();
  }

  @Override
  public int sport() {
    return p.getSport();
  }

  @Override
  public int dport() {
    return p.getDport();
  }

  @Override
  public boolean dns() {
    return p.getDns() != null;
  }

  @Override
  public boolean forward() {
    return p.getFlowDirection() != FlowDirection.B_TO_A;
  }

  @Override
  public long fingerprint() {
    return p.getFingerprint();
  }

  @Override
  public boolean tcp() {
    return tcp != null;
  }

  @Override
  public int tcpFlags() {
    return tcp != null ? tcp.getFlags() : 0;
  }

  @Override
  public long tcpSeq() {
    return tcp.getSeq();
  }

  @Override
  public long tcpAck() {
    return tcp.getAck();
  }

  @Override
  public int tcpWindow() {
    return tcp.getWindow();
  }

  @Override
  public int payloadLength() {
    return p.getPayloadLength();
  }

  @Override
  public int ipLength() {
    return p.getIpLength();
  }

  @Override
  public int wireLength() {
    return p.getWireLength();
  }

  @Override
  public Object tableKey() {
    return HopId.format(p.getNode(), p.getPod(), p.getIface()) + '|' + p.getFlowKey();
  }

  @Override
  public Object newTableKey() {
    return tableKey();
  }

  @Override
  public String node() {
    return p.getNode();
  }

  @Override
  public String pod() {
    return p.getPod();
  }

  @Override
  public String iface() {
    return p.getIface();
  }

  @Override
  public InterfaceRole role() {
    return p.getRole();
  }

  @Override
  public String flowKey() {
    return p.getFlowKey();
  }

  @Override
  public String src() {
    return p.getSrc();
  }

  @Override
  public String dst() {
    return p.getDst();
  }

  @Override
  public EncapType encapType() {
    return outer == null ? null : outer.getType();
  }

  @Override
  public String outerSrc() {
    return outer.getOuterSrc();
  }

  @Override
  public String outerDst() {
    return outer.getOuterDst();
  }

  @Override
  public int outerDport() {
    return outer == null ? -1 : outer.getOuterDport();
  }

  @Override
  public PacketSummary summary(FlowTexts flow) {
    return p;
  }

  @Override
  public String partitionKey() {
    return key;
  }
}
