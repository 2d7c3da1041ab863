package io.hoptrace.reduce;

import io.hoptrace.capture.HopContext;
import io.hoptrace.decode.DecodedPacket;
import io.hoptrace.decode.IpAddress;
import java.util.Arrays;

/**
 * The reducer's table key for a decoded packet: the hop and the canonical 5-tuple (endpoint A, the
 * lower one by {@link io.hoptrace.contract.FlowKey}'s rule, then B) as numbers and bytes. Equal
 * exactly when the hop and the canonical flow key text are, without writing that text. A {@link
 * DecodedPacketView} probes with one reused instance and stores a {@link #copy()}.
 */
final class HopFlowKey {
  private HopContext hop;
  private int version;
  private int proto;
  private int portA;
  private int portB;
  private final byte[] a = new byte[16];
  private final byte[] b = new byte[16];
  private int hash;

  void set(HopContext hop, DecodedPacket p) {
    this.hop = hop;
    this.version = p.ipVersion();
    this.proto = p.proto();
    IpAddress x = p.src();
    IpAddress y = p.dst();
    int px = p.sport();
    int py = p.dport();
    if (!p.flowForward()) {
      x = p.dst();
      y = p.src();
      px = p.dport();
      py = p.sport();
    }
    Arrays.fill(a, (byte) 0);
    Arrays.fill(b, (byte) 0);
    x.copyTo(a, 0);
    y.copyTo(b, 0);
    this.portA = px;
    this.portB = py;
    int h = hop.hashCode();
    h = 31 * h + version;
    h = 31 * h + proto;
    h = 31 * h + portA;
    h = 31 * h + portB;
    h = 31 * h + Arrays.hashCode(a);
    h = 31 * h + Arrays.hashCode(b);
    this.hash = h;
  }

  HopFlowKey copy() {
    HopFlowKey k = new HopFlowKey();
    k.hop = hop;
    k.version = version;
    k.proto = proto;
    k.portA = portA;
    k.portB = portB;
    System.arraycopy(a, 0, k.a, 0, 16);
    System.arraycopy(b, 0, k.b, 0, 16);
    k.hash = hash;
    return k;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HopFlowKey k
        && hash == k.hash
        && version == k.version
        && proto == k.proto
        && portA == k.portA
        && portB == k.portB
        && Arrays.equals(a, k.a)
        && Arrays.equals(b, k.b)
        && (hop == k.hop || hop.equals(k.hop));
  }
}
