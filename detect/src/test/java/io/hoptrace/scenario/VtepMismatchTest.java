package io.hoptrace.scenario;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.lab.Harness;
import io.hoptrace.lab.Lab;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.FdbEntry;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.VtepInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VtepMismatchTest {
  static java.util.stream.Stream<?> harnesses() {
    return io.hoptrace.lab.Harnesses.all();
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void encapsulationToAnAddressSeveralNodesClaimIsVtepMismatch(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      // both nodes registered the NAT-only address 10.0.2.15 as their VTEP address
      h.nodes(Lab.inventory("10.0.2.15", "10.0.2.15"));
      Lab lab = new Lab().nodeAEncapsulatesTo("10.0.2.15");
      for (double t : new double[] {0, 1, 3, 7}) {
        h.send(
            lab.over(tcp(POD_A, 40040, POD_B, 80, SYN, 100, 0, 0), sec(t), A_TO_B.subList(0, 5)));
      }
      h.idle(12_000_000_000L);
      List<Alert> firing = h.firing();
      assertThat(firing).extracting(Alert::getType).containsOnly(AlertType.VTEP_MISMATCH);
      Alert a =
          firing.stream()
              .filter(x -> "10.0.2.15".equals(x.getSubject().getVtep()))
              .findFirst()
              .orElseThrow();
      assertThat(a.getEvidence().getFacts().get("claimants")).contains("node-a").contains("node-b");
      assertThat(a.getHint()).contains("10.0.2.15");
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void badFdbEntryAndTrafficSentThroughItAreOneAlertWithBothEvidences(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      // node-a's FDB sends node-b's VTEP MAC to 10.0.2.99, which no node owns
      List<NodeInventory> nodes = new ArrayList<>(Lab.inventory());
      NodeInventory a = nodes.get(0);
      VtepInfo v = a.getVteps().get(0);
      FdbEntry wrong =
          FdbEntry.newBuilder().setMac("ca:fe:00:00:00:01").setDst("10.0.2.99").build();
      nodes.set(
          0,
          NodeInventory.newBuilder(a)
              .setVteps(List.of(VtepInfo.newBuilder(v).setFdb(List.of(wrong)).build()))
              .build());
      h.nodes(nodes);
      Lab lab = new Lab().nodeAEncapsulatesTo("10.0.2.99");
      for (double t : new double[] {0, 1, 3}) {
        h.send(
            lab.over(tcp(POD_A, 40042, POD_B, 80, SYN, 100, 0, 0), sec(t), A_TO_B.subList(0, 5)));
      }
      h.idle(1_000_000_000L);
      List<Alert> firing = h.firing(AlertType.VTEP_MISMATCH);
      assertThat(firing).extracting(Alert::getId).containsOnly(firing.get(0).getId());
      // the inventory's finding carries event time, not the epoch
      assertThat(firing.get(0).getFirstSeen()).isEqualTo(sec(0));
      Alert last = firing.get(firing.size() - 1);
      assertThat(last.getSubject().getVtep()).isEqualTo("10.0.2.99");
      assertThat(last.getSubject().getNode()).isEqualTo("node-a");
      assertThat(last.getEvidence().getFacts().get("kind"))
          .contains("unknown-destination")
          .contains("bad-fdb");
      assertThat(last.getEvidence().getFacts()).containsEntry("device", "flannel.1");
      assertThat(last.getHint())
          .contains("FDB/neighbour entry of flannel.1 on node-a points to 10.0.2.99")
          .contains("node-a encapsulates packets to 10.0.2.99");
      assertThat(last.getLostAt()).isNotNull();
      assertThat(last.getLostAt().getAfter()).isEqualTo(A_UP.id());
      assertThat(last.getLostAt().getBefore()).isEqualTo(B_UP.id());
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void encapsulationToNoNodesVtepIsVtepMismatchAndResolves(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      Lab lab = new Lab().nodeAEncapsulatesTo("10.0.2.99");
      h.send(lab.over(tcp(POD_A, 40041, POD_B, 80, SYN, 100, 0, 0), sec(0), A_TO_B.subList(0, 5)));
      h.idle(1_000_000_000L);
      List<Alert> firing = h.firing(AlertType.VTEP_MISMATCH);
      assertThat(firing).hasSize(1);
      assertThat(firing.get(0).getSubject().getVtep()).isEqualTo("10.0.2.99");
      assertThat(firing.get(0).getSubject().getNode()).isEqualTo("node-a");
      assertThat(firing.get(0).getEvidence().getFacts())
          .containsEntry("kind", "unknown-destination");
      // an address that is no node's VTEP is no next hop: lost right after node-a's uplink,
      // named by the first alert (before any packet settled)
      assertThat(firing.get(0).getLostAt()).isNotNull();
      assertThat(firing.get(0).getLostAt().getAfter()).isEqualTo(A_UP.id());
      assertThat(firing.get(0).getLostAt().getBefore()).isEqualTo(B_UP.id());
      h.idle(40_000_000_000L);
      assertThat(h.alerts(AlertType.VTEP_MISMATCH))
          .extracting(Alert::getStatus)
          .containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
    }
  }
}
