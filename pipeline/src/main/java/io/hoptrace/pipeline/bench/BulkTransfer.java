package io.hoptrace.pipeline.bench;

import io.hoptrace.contract.FlowKey;
import io.hoptrace.decode.Fingerprint;
import io.hoptrace.schema.EncapLayer;
import io.hoptrace.schema.EncapType;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.TcpInfo;
import java.util.List;
import java.util.function.Consumer;

/**
 * A generated bulk-transfer load across the overlay: TCP flows from pods on node-a to pods on
 * node-b, each SYN / SYN-ACK / ACK, {@code segments} full-size data segments (1448 bytes) answered
 * by an ACK every second segment, then FIN both ways; every packet seen on the ten hops of the
 * lab's flannel path (pod eth0, veth, cni0, flannel.1, ens33 on node-a, then the same on node-b in
 * reverse, VXLAN-encapsulated on the uplinks), 2 µs apart, packets 100 µs apart, the flows taking
 * turns. With {@code lossEvery} > 0 every that-many-th data segment is lost between node-b's ens33
 * and flannel.1 and retransmitted 200 ms later. Summaries come in capture-time order, with
 * fingerprints that are the same on every hop.
 */
public final class BulkTransfer {
  private static final long START = 1_735_689_600_000_000_000L;
  private static final long HOP_NS = 2_000;
  private static final long SLOT_NS = 100_000;
  private static final int MSS = 1448;
  private static final int SYN = 2;
  private static final int FIN = 1;
  private static final int ACK = 16;
  private static final int PSH = 8;

  /** One hop of the path: node, pod (or null), interface, role, encapsulated. */
  record Hop(String node, String pod, String iface, InterfaceRole role, boolean encap) {}

  static final List<Hop> PATH =
      List.of(
          new Hop("node-a", "pod-a1", "eth0", InterfaceRole.POD, false),
          new Hop("node-a", null, "vetha1", InterfaceRole.VETH, false),
          new Hop("node-a", null, "cni0", InterfaceRole.BRIDGE, false),
          new Hop("node-a", null, "flannel.1", InterfaceRole.VTEP, false),
          new Hop("node-a", null, "ens33", InterfaceRole.UPLINK, true),
          new Hop("node-b", null, "ens33", InterfaceRole.UPLINK, true),
          new Hop("node-b", null, "flannel.1", InterfaceRole.VTEP, false),
          new Hop("node-b", null, "cni0", InterfaceRole.BRIDGE, false),
          new Hop("node-b", null, "vethb1", InterfaceRole.VETH, false),
          new Hop("node-b", "pod-b1", "eth0", InterfaceRole.POD, false));

  /** The hop after which a lost segment is not seen any more (node-b's ens33). */
  static final int LOSS_AFTER = 5;

  private final int flows;
  private final int segments;
  private final int lossEvery;
  private long slot;

  public BulkTransfer(int flows, int segments, int lossEvery) {
    if (flows < 1 || segments < 1 || lossEvery < 0) {
      throw new IllegalArgumentException("flows and segments must be >= 1, loss >= 0");
    }
    this.flows = flows;
    this.segments = segments;
    this.lossEvery = lossEvery;
  }

  /** Captured packets (summaries in full mode) this load produces. */
  public long packets() {
    long[] n = {0};
    generate(s -> n[0]++);
    return n[0];
  }

  /** Every summary, in capture-time order. */
  public void generate(Consumer<PacketSummary> out) {
    slot = 0;
    int[] sent = new int[flows];
    long[] retransmitAt = new long[flows];
    int[] lostSeg = new int[flows];
    for (int f = 0; f < flows; f++) {
      packet(out, f, 0, SYN, 0, 0, 0, PATH.size());
      packet(out, f, 1, SYN | ACK, 0, 1, 0, PATH.size());
      packet(out, f, 0, ACK, 1, 1, 0, PATH.size());
      retransmitAt[f] = -1;
    }
    boolean active = true;
    while (active) {
      active = false;
      for (int f = 0; f < flows; f++) {
        if (retransmitAt[f] >= 0 && now() >= retransmitAt[f]) {
          long seq = 1 + (long) lostSeg[f] * MSS;
          packet(out, f, 0, ACK | PSH, seq, 1, MSS, PATH.size());
          retransmitAt[f] = -1;
        }
        if (sent[f] >= segments) {
          continue;
        }
        active = true;
        int k = sent[f]++;
        long seq = 1 + (long) k * MSS;
        boolean lost = lossEvery > 0 && k % lossEvery == lossEvery - 1;
        packet(out, f, 0, ACK | PSH, seq, 1, MSS, lost ? LOSS_AFTER + 1 : PATH.size());
        if (lost) {
          lostSeg[f] = k;
          retransmitAt[f] = now() + 200_000_000L;
        }
        if (k % 2 == 1) {
          packet(out, f, 1, ACK, 1, 1 + (long) (k + 1) * MSS, 0, PATH.size());
        }
      }
    }
    for (int f = 0; f < flows; f++) {
      long end = 1 + (long) segments * MSS;
      if (retransmitAt[f] >= 0) {
        packet(out, f, 0, ACK | PSH, 1 + (long) lostSeg[f] * MSS, 1, MSS, PATH.size());
      }
      packet(out, f, 0, FIN | ACK, end, 1, 0, PATH.size());
      packet(out, f, 1, FIN | ACK, 1, end + 1, 0, PATH.size());
      packet(out, f, 0, ACK, end + 1, 2, 0, PATH.size());
    }
  }

  private long now() {
    return START + slot * SLOT_NS;
  }

  /** One packet of flow f in direction d (0 client to server), seen on the first {@code hops}. */
  private void packet(
      Consumer<PacketSummary> out,
      int f,
      int d,
      int flags,
      long seq,
      long ack,
      int payload,
      int hops) {
    String client = "10.244.0." + (2 + f / 250);
    String server = "10.244.1.2";
    int cport = 30000 + f % 30000;
    String src = d == 0 ? client : server;
    String dst = d == 0 ? server : client;
    int sport = d == 0 ? cport : 8080;
    int dport = d == 0 ? 8080 : cport;
    String key = FlowKey.key(6, src, sport, dst, dport);
    long fp =
        Fingerprint.fmix(((long) f << 40) ^ (seq * 31 + ack) ^ ((long) flags << 56) ^ payload) | 1;
    long t0 = now();
    slot++;
    int ipLength = 20 + 32 + payload;
    for (int i = 0; i < hops; i++) {
      Hop h = PATH.get(d == 0 ? i : PATH.size() - 1 - i);
      PacketSummary.Builder b =
          PacketSummary.newBuilder()
              .setNode(h.node())
              .setPod(h.pod())
              .setIface(h.iface())
              .setRole(h.role())
              .setTsNanos(t0 + i * HOP_NS)
              .setWireLength(ipLength + 14 + (h.encap() ? 50 : 0))
              .setCapturedLength(Math.min(256, ipLength + 14))
              .setIpVersion(4)
              .setSrc(src)
              .setDst(dst)
              .setProto(6)
              .setSport(sport)
              .setDport(dport)
              .setTtl(64)
              .setIpId(-1)
              .setDf(true)
              .setIpLength(ipLength)
              .setPayloadLength(payload)
              .setTcp(
                  TcpInfo.newBuilder()
                      .setFlags(flags)
                      .setSeq(seq)
                      .setAck(ack)
                      .setWindow(65535)
                      .build())
              .setFlowKey(key)
              .setFlowDirection(FlowKey.direction(src, sport, dst, dport))
              .setFingerprint(fp);
      if (h.encap()) {
        String a = "192.168.56.10";
        String bAddr = "192.168.56.11";
        b.setEncap(
            List.of(
                EncapLayer.newBuilder()
                    .setType(EncapType.VXLAN)
                    .setOuterSrc(d == 0 ? a : bAddr)
                    .setOuterDst(d == 0 ? bAddr : a)
                    .setOuterSport(40000 + f % 20000)
                    .setOuterDport(8472)
                    .setVni(1)
                    .build()));
      }
      out.accept(b.build());
    }
  }
}
