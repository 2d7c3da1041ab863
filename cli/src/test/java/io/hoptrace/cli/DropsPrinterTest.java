package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hoptrace.drops.DropFlow;
import io.hoptrace.drops.DropRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DropsPrinterTest {
  private static final Instant T = Instant.parse("2026-12-07T04:16:17Z");
  private static final DropFlow OUTER =
      new DropFlow(17, "192.168.232.128", "192.168.232.130", 40123, 8472);
  private static final DropFlow INNER = new DropFlow(6, "10.244.0.2", "10.244.1.2", 40011, 8080);

  @Test
  void anEncapsulatedDropHasTheInnerTupleAndTheOuterOne() throws Exception {
    DropRecord r =
        new DropRecord(
            4026532313L, "ens33", 12, "NETFILTER_DROP", 0x0800, OUTER, "vxlan", INNER, 3);
    JsonNode j = CliRun.JSON.readTree(DropsPrinter.json(T, r, "ht-node-b"));
    assertThat(j.get("time").asText()).isEqualTo("2026-12-07T04:16:17Z");
    assertThat(j.get("reason").asText()).isEqualTo("NETFILTER_DROP");
    assertThat(j.get("reasonCode").asInt()).isEqualTo(12);
    assertThat(j.get("netns").asLong()).isEqualTo(4026532313L);
    assertThat(j.get("netnsName").asText()).isEqualTo("ht-node-b");
    assertThat(j.get("iface").asText()).isEqualTo("ens33");
    assertThat(j.get("proto").asInt()).isEqualTo(6);
    assertThat(j.get("src").asText()).isEqualTo("10.244.0.2");
    assertThat(j.get("dst").asText()).isEqualTo("10.244.1.2");
    assertThat(j.get("sport").asInt()).isEqualTo(40011);
    assertThat(j.get("dport").asInt()).isEqualTo(8080);
    assertThat(j.get("encap").asText()).isEqualTo("vxlan");
    assertThat(j.get("outer").get("src").asText()).isEqualTo("192.168.232.128");
    assertThat(j.get("outer").get("dport").asInt()).isEqualTo(8472);
    assertThat(j.get("count").asLong()).isEqualTo(3);
  }

  @Test
  void aPlainDropHasNoOuterAndAnUnnamedNamespaceNoName() throws Exception {
    DropRecord r = new DropRecord(7, "eth0", 3, "NO_SOCKET", 0x0800, INNER, null, null, 1);
    JsonNode j = CliRun.JSON.readTree(DropsPrinter.json(T, r, null));
    assertThat(j.has("outer")).isFalse();
    assertThat(j.has("encap")).isFalse();
    assertThat(j.has("netnsName")).isFalse();
    assertThat(j.get("dport").asInt()).isEqualTo(8080);
  }

  @Test
  void aTunnelCarryingNoIpv4HasOnlyTheOuterTuple() throws Exception {
    DropRecord r =
        new DropRecord(7, "ens33", 12, "NETFILTER_DROP", 0x0800, OUTER, "vxlan", null, 1);
    JsonNode j = CliRun.JSON.readTree(DropsPrinter.json(T, r, null));
    assertThat(j.has("src")).isFalse();
    assertThat(j.get("outer").get("dst").asText()).isEqualTo("192.168.232.130");
  }

  @Test
  void theTableHasAHeaderOnceAndOneRowPerRecord() {
    StringWriter s = new StringWriter();
    DropsPrinter p =
        new DropsPrinter(
            DropsPrinter.Format.table, new PrintWriter(s), n -> n == 7 ? "ht-node-b" : null);
    p.print(T, new DropRecord(7, "ens33", 12, "NETFILTER_DROP", 0x0800, OUTER, "vxlan", INNER, 3));
    p.print(T, new DropRecord(9, "", 105, "QUEUE_PURGE", 0x86dd, null, null, null, 1));
    p.flush();
    String[] lines = s.toString().split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).startsWith("TIME").contains("REASON", "NETNS", "OUTER", "COUNT");
    assertThat(lines[1])
        .startsWith("04:16:17 NETFILTER_DROP")
        .contains("ht-node-b", "ens33", "tcp", "10.244.0.2:40011", "10.244.1.2:8080")
        .contains("vxlan 192.168.232.128:40123>192.168.232.130:8472")
        .endsWith(" 3");
    assertThat(lines[2]).contains("QUEUE_PURGE", " 9 ", " - ").endsWith(" 1");
  }

  @Test
  void anIcmpEchoHasItsKeyPortsInJsonAndNoPortsInTheTable() throws Exception {
    DropFlow ping = new DropFlow(1, "10.244.0.2", "10.244.1.2", 5092, 0);
    DropRecord r =
        new DropRecord(7, "ens33", 12, "NETFILTER_DROP", 0x0800, OUTER, "vxlan", ping, 2);
    JsonNode j = CliRun.JSON.readTree(DropsPrinter.json(T, r, null));
    assertThat(j.get("proto").asInt()).isEqualTo(1);
    assertThat(j.get("sport").asInt()).isEqualTo(5092);
    assertThat(j.get("dport").asInt()).isZero();
    StringWriter s = new StringWriter();
    DropsPrinter p = new DropsPrinter(DropsPrinter.Format.table, new PrintWriter(s), n -> null);
    p.print(T, r);
    p.flush();
    String row = s.toString().split("\n")[1];
    assertThat(row).contains("icmp", "10.244.0.2 ", "10.244.1.2 ").doesNotContain("10.244.0.2:");
  }
}
