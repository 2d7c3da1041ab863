package io.hoptrace.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.KernelDrop;
import org.junit.jupiter.api.Test;

class DropNotesTest {
  static final long S = 1_000_000_000L;
  static final long T0 = 1_700_000_000L * S;

  static KernelDrop drop(String hop, int code, long count, long startNs) {
    return KernelDrop.newBuilder()
        .setNode(hop.substring(0, hop.indexOf('/')))
        .setHop(hop)
        .setIface(hop.substring(hop.indexOf('/') + 1))
        .setRole(InterfaceRole.UPLINK)
        .setNetns(4026532000L)
        .setReasonCode(code)
        .setReason(code == 12 ? "NETFILTER_DROP" : "NO_SOCKET")
        .setCount(count)
        .setIntervalStartNanos(startNs)
        .setIntervalEndNanos(startNs + S)
        .setFlowKey("6|10.244.0.2|40000|10.244.1.2|80")
        .setFlow(
            io.hoptrace.schema.FiveTuple.newBuilder()
                .setSrc("10.244.0.2")
                .setDst("10.244.1.2")
                .setProto(6)
                .setSport(40000)
                .setDport(80)
                .build())
        .setFlowDirection(io.hoptrace.schema.FlowDirection.A_TO_B)
        .build();
  }

  @Test
  void aNoteOlderThanTheMaxAgeBeforeANewRecordIsForgottenNotSummed() {
    DropNotes d = new DropNotes();
    d.add(drop("node-b/ens33", 12, 5, T0), 30 * S);
    d.add(drop("node-b/eth0", 3, 1, T0), 30 * S);
    // within 30 s of the last drop: summed
    d.add(drop("node-b/ens33", 12, 2, T0 + 20 * S), 30 * S);
    assertThat(d.notes()).hasSize(2);
    assertThat(d.notes().get(0).count).isEqualTo(7);
    assertThat(d.notes().get(0).firstTs).isEqualTo(T0);
    // 40 s after the last ens33 drop, 60 s after the eth0 one: both forgotten, the new one alone
    d.add(drop("node-b/ens33", 12, 3, T0 + 61 * S), 30 * S);
    assertThat(d.notes()).hasSize(1);
    DropNotes.Note n = d.notes().get(0);
    assertThat(n.count).isEqualTo(3);
    assertThat(n.firstTs).isEqualTo(T0 + 61 * S);
    assertThat(n.lastTs).isEqualTo(T0 + 62 * S);
  }

  @Test
  void freshMeansTheLastDropIsAtOrAfterTheCutoff() {
    DropNotes d = new DropNotes();
    d.add(drop("node-b/ens33", 12, 1, T0));
    DropNotes.Note n = d.notes().get(0);
    assertThat(DropNotes.fresh(n, T0 + S)).isTrue();
    assertThat(DropNotes.fresh(n, T0 + S + 1)).isFalse();
    d.forgetBefore(T0 + S);
    assertThat(d.notes()).hasSize(1);
    d.forgetBefore(T0 + S + 1);
    assertThat(d.isEmpty()).isTrue();
  }
}
