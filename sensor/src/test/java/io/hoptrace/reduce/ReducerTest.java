package io.hoptrace.reduce;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.contract.CountersReason;
import io.hoptrace.contract.FlowKey;
import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.TcpInfo;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class ReducerTest {
  static final long T0 = 1_700_000_000_000_000_000L;
  static final int ACK = 16;
  static final int PSH = 8;

  static PacketSummary seg(String iface, int sport, long seq, int len, long ts, long fp) {
    String src = "10.244.0.2";
    String dst = "10.244.1.2";
    return PacketSummary.newBuilder()
        .setNode("node-a")
        .setIface(iface)
        .setRole(InterfaceRole.VETH)
        .setTsNanos(ts)
        .setWireLength(len + 66)
        .setCapturedLength(128)
        .setIpVersion(4)
        .setSrc(src)
        .setDst(dst)
        .setProto(6)
        .setSport(sport)
        .setDport(80)
        .setIpLength(len + 52)
        .setPayloadLength(len)
        .setTcp(
            TcpInfo.newBuilder().setFlags(ACK | PSH).setSeq(seq).setAck(1).setWindow(1000).build())
        .setFlowKey(FlowKey.key(6, src, sport, dst, 80))
        .setFlowDirection(FlowKey.direction(src, sport, dst, 80))
        .setFingerprint(fp)
        .build();
  }

  /** 200 segments of one flow on two hops, 10 µs apart on the second. */
  static List<PacketSummary> twoHops(int n) {
    List<PacketSummary> in = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long ts = T0 + i * 1_000_000L;
      in.add(seg("veth1", 40000, 1 + i * 100L, 100, ts, 1000 + i));
      in.add(seg("cni0", 40000, 1 + i * 100L, 100, ts + 10_000, 1000 + i));
    }
    return in;
  }

  @Test
  void everyHopKeepsTheSamePacketsBeyondTheFirstOnes() {
    Reduced r = Reduced.of(twoHops(2000), ReducerConfig.defaults());
    List<Long> veth = new ArrayList<>();
    List<Long> cni = new ArrayList<>();
    for (SpecificRecord rec : r.records()) {
      if (rec instanceof PacketSummary p) {
        (p.getIface().equals("veth1") ? veth : cni).add(p.getFingerprint());
      }
    }
    assertThat(veth).isEqualTo(cni);
    assertThat(veth.size()).isBetween(8 + 10, 8 + 70); // first 8, then about 1/64 of 1992
    assertThat(r.stats().folded()).isEqualTo(4000 - 2L * veth.size());
    long counted =
        r.records().stream()
            .filter(FlowHopCounters.class::isInstance)
            .mapToLong(c -> ((FlowHopCounters) c).getPackets())
            .sum();
    assertThat(counted).isEqualTo(r.stats().folded());
    assertThat(r.stats().records()).isLessThan(4000 / 20);
  }

  @Test
  void aRetransmissionIsSentOneByOneAfterTheCountersItsAnalysisNeeds() {
    List<PacketSummary> in = twoHops(50);
    in.add(seg("veth1", 40000, 1 + 20 * 100L, 100, T0 + 400_000_000L, 99));
    Reduced r = Reduced.of(in, ReducerConfig.defaults().withSampleRate(0));
    List<SpecificRecord> recs = r.records();
    int at = -1;
    for (int i = 0; i < recs.size(); i++) {
      if (recs.get(i) instanceof PacketSummary p && p.getFingerprint() == 99) {
        at = i;
      }
    }
    assertThat(at).isPositive();
    FlowHopCounters before = (FlowHopCounters) recs.get(at - 1);
    assertThat(before.getReason()).isEqualTo(CountersReason.BEFORE_PACKET.code());
    assertThat(before.getIface()).isEqualTo("veth1");
    assertThat(before.getTcpNextSeq()).isEqualTo(1 + 50 * 100L);
    assertThat(r.stats().keptByReason()).containsEntry(KeepReason.RETRANSMISSION, 1L);
  }

  @Test
  void aFullTableEvictsTheLeastRecentlyUsedFlowWithItsCounters() {
    List<PacketSummary> in = new ArrayList<>();
    for (int f = 0; f < 3; f++) {
      for (int i = 0; i < 20; i++) {
        in.add(
            seg("veth1", 40000 + f, 1 + i * 100L, 100, T0 + f * 100_000L + i, 5000 + f * 100 + i));
      }
    }
    Reduced r = Reduced.of(in, ReducerConfig.defaults().withMaxFlows(2).withSampleRate(0));
    assertThat(r.stats().evictions()).isEqualTo(1);
    assertThat(r.stats().countersByReason()).containsEntry(CountersReason.EVICTED, 1L);
    assertThat(r.stats().flows()).isEqualTo(2);
  }

  @Test
  void counterReasonsKeepTheirCodes() {
    for (CountersReason why : CountersReason.values()) {
      assertThat(CountersReason.of(why.code())).isEqualTo(why);
    }
    assertThat(CountersReason.of(99)).isNull();
    assertThat(CountersReason.INTERVAL.code()).isEqualTo(1);
    assertThat(CountersReason.END_OF_INPUT.code()).isEqualTo(5);
  }
}
