package io.hoptrace.flink;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.lab.Lab;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.PacketSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stage 1 is fed by every packets partition, and they progress apart (one source subtask fetches
 * its batch before another's; a replay's event time runs far faster than the wall clock). A
 * conversation of a partition behind the others is judged by the watermark and by its own packets,
 * never by the largest capture time its subtask saw: at that time its first hop's packets would
 * settle as lost before the partition delivers the next hops' reports of them (the spurious ONE_WAY
 * "lost after pod-a1/eth0, before cni0" of {@code RocksDbInventoryFirstIT}).
 */
class PartitionsApartTest {
  private final Lab lab = new Lab();

  /** A healthy exchange of {@code port}: SYN pod-a1 → pod-b1 over every hop, SYN-ACK back. */
  private List<PacketSummary> exchange(int port, double t) {
    List<PacketSummary> out = new java.util.ArrayList<>();
    out.addAll(lab.over(tcp(POD_A, port, POD_B, 80, SYN, 100, 0, 0), sec(t), A_TO_B));
    out.addAll(
        lab.over(tcp(POD_B, 80, POD_A, port, SYN | ACK, 900, 101, 0), sec(t + 0.001), B_TO_A));
    return out;
  }

  private static String key(PacketSummary p) {
    return p.getFlowKey();
  }

  @Test
  void aPartitionBehindTheOthersLosesNoPacketToTheirTime() throws Exception {
    try (StageHarness s = new StageHarness(DetectionConfig.defaults(), sec(0) / 1_000_000L)) {
      s.nodes(Lab.inventory());
      List<PacketSummary> behind = exchange(40001, 0.5);
      // partition 0 delivers the first hop of its conversation ...
      s.send(0, key(behind.get(0)), behind.get(0));
      // ... partition 1 runs 10 s of event time ahead ...
      for (double t = 0; t <= 10; t += 1) {
        for (PacketSummary p : exchange(41000 + (int) t, t)) {
          s.send(1, key(p), p);
        }
      }
      s.periodicWatermarks();
      // ... then partition 0 goes on: the same packet's next hops, the reply
      for (PacketSummary p : behind.subList(1, behind.size())) {
        s.send(0, key(p), p);
      }
      s.periodicWatermarks();
      s.endOfInput();

      assertThat(s.alerts()).extracting(Alert::getType).isEmpty();
      List<FlowRecord> finals = s.flows().stream().filter(FlowRecord::getFinal$).toList();
      assertThat(finals).hasSize(12);
      assertThat(finals).extracting(FlowRecord::getVerdict).containsOnly("OK");
    }
  }

  /** The control: the conversation behind, alone on one partition, is healthy. */
  @Test
  void theSamePacketsInStepAreHealthy() throws Exception {
    try (StageHarness s = new StageHarness(DetectionConfig.defaults(), sec(0) / 1_000_000L)) {
      s.nodes(Lab.inventory());
      for (PacketSummary p : exchange(40001, 0.5)) {
        s.send(0, key(p), p);
      }
      s.endOfInput();
      assertThat(s.alerts()).isEmpty();
      assertThat(s.flows().stream().filter(FlowRecord::getFinal$))
          .extracting(FlowRecord::getVerdict)
          .containsExactly("OK");
    }
  }
}
