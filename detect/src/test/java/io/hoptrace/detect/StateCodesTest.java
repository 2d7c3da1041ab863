package io.hoptrace.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.EncapType;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.Severity;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * Pins the persisted enum codes. They are the ordinals the codecs wrote before explicit codes, so
 * this table must never change: a new symbol gets a new code at the end.
 */
class StateCodesTest {
  @Test
  void codesArePinned() {
    pinned(
        List.of("POD", "VETH", "BRIDGE", "VTEP", "TUNNEL", "UPLINK", "ANY"),
        StateCodes::role,
        InterfaceRole::valueOf,
        StateCodes::role);
    pinned(
        List.of("VXLAN", "GENEVE", "IPIP", "GRE", "UNKNOWN"),
        StateCodes::encap,
        EncapType::valueOf,
        StateCodes::encap);
    pinned(
        List.of(
            "ONE_WAY",
            "RETRANSMISSION_STORM",
            "ICMP_UNREACHABLE",
            "VTEP_MISMATCH",
            "MTU_BLACKHOLE",
            "DNS_FAILURE"),
        StateCodes::alertType,
        AlertType::valueOf,
        StateCodes::alertType);
    pinned(
        List.of("INFO", "WARNING", "CRITICAL"),
        StateCodes::severity,
        Severity::valueOf,
        StateCodes::severity);
    pinned(
        List.of("FIRING", "RESOLVED"),
        StateCodes::status,
        AlertStatus::valueOf,
        StateCodes::status);
    pinned(List.of("STATE", "EVENT"), StateCodes::kind, Finding.Kind::valueOf, StateCodes::kind);
  }

  @Test
  void everySymbolHasACodeAndTodaysCodesEqualTheFormerOrdinals() {
    // holds while no symbol was reordered; documents why stored state still decodes
    for (InterfaceRole r : InterfaceRole.values()) {
      assertThat(StateCodes.role(r)).isEqualTo(r.ordinal());
    }
    for (EncapType e : EncapType.values()) {
      assertThat(StateCodes.encap(e)).isEqualTo(e.ordinal());
    }
    for (AlertType t : AlertType.values()) {
      assertThat(StateCodes.alertType(t)).isEqualTo(t.ordinal());
    }
    for (Severity s : Severity.values()) {
      assertThat(StateCodes.severity(s)).isEqualTo(s.ordinal());
    }
    for (AlertStatus s : AlertStatus.values()) {
      assertThat(StateCodes.status(s)).isEqualTo(s.ordinal());
    }
    for (Finding.Kind k : Finding.Kind.values()) {
      assertThat(StateCodes.kind(k)).isEqualTo(k.ordinal());
    }
  }

  @Test
  void unknownCodesThrow() {
    assertThatThrownBy(() -> StateCodes.role(7)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> StateCodes.encap(-1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> StateCodes.alertType(99)).isInstanceOf(IllegalStateException.class);
  }

  private static <E extends Enum<E>> void pinned(
      List<String> byCode,
      ToIntFunction<E> code,
      java.util.function.Function<String, E> valueOf,
      IntFunction<E> decode) {
    for (int i = 0; i < byCode.size(); i++) {
      E e = valueOf.apply(byCode.get(i));
      assertThat(code.applyAsInt(e)).as(byCode.get(i)).isEqualTo(i);
      assertThat(decode.apply(i)).isEqualTo(e);
    }
  }
}
