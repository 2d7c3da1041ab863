package io.hoptrace.detect;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.detect.state.Codec;
import io.hoptrace.lab.CoreHarness;
import io.hoptrace.lab.Lab;
import io.hoptrace.lab.Scenarios;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecRoundTripTest {
  private static <T> void roundTrips(Codec<T> codec, T value) {
    byte[] once = codec.encode(value);
    byte[] twice = codec.encode(codec.decode(once));
    assertThat(twice).isEqualTo(once);
  }

  @Test
  void everyStateTypeRoundTripsThroughItsCodec() {
    Lab lab = new Lab();
    try (CoreHarness h = new CoreHarness()) {
      h.nodes(Lab.inventory());
      Scenarios.dualIp(h, lab, 0);
      h.send(lab.over(dnsQuery(POD_A, 33000, "10.244.1.10", 7), sec(0.5), A_TO_B.subList(0, 5)));
      h.idle(2_500_000_000L);
      List<Conversation> convs = new ArrayList<>();
      h.stores().conversations().forEach((k, c) -> convs.add(c));
      assertThat(convs).isNotEmpty();
      assertThat(convs).anySatisfy(c -> assertThat(c.slots).hasSizeGreaterThan(5));
      convs.forEach(c -> roundTrips(Codecs.conversation(), c));
      List<Aggregate> aggs = new ArrayList<>();
      h.aggregates().forEach((k, a) -> aggs.add(a));
      assertThat(aggs).isNotEmpty();
      aggs.forEach(a -> roundTrips(Codecs.aggregate(), a));
      h.stores().fingerprints().forEach((k, e) -> roundTrips(Codecs.fingerprintEntry(), e));
      h.stores().hops().forEach((k, e) -> roundTrips(Codecs.hopInfo(), e));
      assertThat(h.alerts()).isNotEmpty();
      h.alerts()
          .forEach(a -> roundTrips(Codecs.finding(), new Finding("k", Finding.Kind.STATE, "m", a)));
    }
  }

  @Test
  void truncatedStateIsAClearError() {
    Conversation c = new Conversation();
    c.id = "6|10.0.0.1|1|10.0.0.2|2";
    byte[] b = Codecs.conversation().encode(c);
    byte[] cut = java.util.Arrays.copyOf(b, b.length / 2);
    assertThatThrownBy(() -> Codecs.conversation().decode(cut))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("truncated");
  }
}
