package io.hoptrace.scenario;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.lab.Harness;
import io.hoptrace.lab.Lab;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertType;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DnsFailureTest {
  static final String RESOLVER = "10.244.1.10";
  final Lab lab = new Lab();

  static java.util.stream.Stream<?> harnesses() {
    return io.hoptrace.lab.Harnesses.all();
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void unansweredAndServfailQueriesGiveOneDnsFailurePerResolver(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      for (int i = 0; i < 3; i++) { // never answered
        h.send(
            lab.over(
                dnsQuery(POD_A, 33000 + i, RESOLVER, 100 + i), sec(i * 0.5), A_TO_B.subList(0, 5)));
      }
      for (int i = 0; i < 2; i++) { // SERVFAIL
        h.send(
            lab.over(
                dnsQuery(POD_A, 34000 + i, RESOLVER, 200 + i),
                sec(2 + i * 0.1),
                A_TO_B.subList(0, 8)));
        h.send(
            lab.over(
                dnsAnswer(RESOLVER, POD_A, 34000 + i, 200 + i, 2),
                sec(2.01 + i * 0.1),
                B_TO_A.subList(2, 10)));
      }
      // an answered query is no failure
      h.send(lab.over(dnsQuery(POD_A, 35000, RESOLVER, 300), sec(3), A_TO_B.subList(0, 8)));
      h.send(lab.over(dnsAnswer(RESOLVER, POD_A, 35000, 300, 0), sec(3.01), B_TO_A.subList(2, 10)));
      h.idle(5_000_000_000L);
      List<Alert> dns = h.firing(AlertType.DNS_FAILURE);
      assertThat(dns).hasSize(1);
      Alert a = dns.get(0);
      assertThat(a.getSubject().getDst()).isEqualTo(RESOLVER);
      assertThat(a.getEvidence().getFacts().get("clients")).contains(POD_A);
      assertThat(a.getCount()).isGreaterThanOrEqualTo(3);
      assertThat(h.firing()).extracting(Alert::getType).containsOnly(AlertType.DNS_FAILURE);
      h.finish();
      Alert resolved = h.alerts(AlertType.DNS_FAILURE).get(1);
      assertThat(resolved.getStatus()).isEqualTo(io.hoptrace.schema.AlertStatus.RESOLVED);
      assertThat(resolved.getCount()).isEqualTo(5);
      assertThat(resolved.getId()).isEqualTo(a.getId());
    }
  }
}
