package io.hoptrace.drops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Output of bpftrace 0.17 on kernel 6.18 (x86-64, little-endian), recorded (see {@code
 * src/test/resources/drops/README.md}): namespace dtB (10.99.0.2 on dtb0, inode 4026532778) drops
 * UDP 9999 and 8472 with iptables; dtA sends to 10.99.0.2:9999 and to 10.200.0.2:7777 over a VXLAN
 * device on 8472.
 */
class BpftraceOutputTest {

  private BpftraceOutput parser;

  @BeforeEach
  void setUp() throws IOException {
    parser =
        new BpftraceOutput(DropReasons.parse(DropReasonsTest.format618()), ByteOrder.LITTLE_ENDIAN);
  }

  static List<String> recorded(String name) throws IOException {
    try (InputStream in = BpftraceOutputTest.class.getResourceAsStream("/drops/" + name)) {
      // the host recording comes from a prototype whose map was named @d (same key layout)
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("\"@d\":", "\"@drops\":")
          .lines()
          .toList();
    }
  }

  @Test
  void attachedThenOneLinePerSecond() throws IOException {
    List<String> lines = recorded("bpftrace-0.17-host.jsonl");
    assertThat(parser.parse(lines.get(0)).kind()).isEqualTo(BpftraceOutput.Kind.ATTACHED);
    BpftraceOutput.Line second = parser.parse(lines.get(1));
    assertThat(second.kind()).isEqualTo(BpftraceOutput.Kind.DROPS);
    assertThat(second.drops()).hasSize(2);
  }

  @Test
  void theRecordedScriptIsTheOneTheGeneratorWrites() throws IOException {
    DropReasons reasons = DropReasons.parse(DropReasonsTest.format618());
    String recorded;
    try (InputStream in = getClass().getResourceAsStream("/drops/netns.bt")) {
      recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(
            DropScript.generate(
                reasons.normalLifeCodes(),
                OptionalLong.of(4026532239L),
                12,
                DropScript.DEFAULT_VXLAN_PORTS))
        .isEqualTo(recorded);
  }

  @Test
  void aNamespaceWatchOfIptablesDropsPlainAndVxlan() throws IOException {
    List<String> lines = recorded("bpftrace-0.17-netns.jsonl");
    List<List<DropRecord>> intervals =
        lines.stream()
            .map(parser::parse)
            .filter(l -> l.kind() == BpftraceOutput.Kind.DROPS)
            .map(BpftraceOutput.Line::drops)
            .filter(d -> !d.isEmpty())
            .toList();
    assertThat(intervals).hasSize(12);
    List<DropRecord> all = intervals.stream().flatMap(List::stream).toList();
    assertThat(all)
        .allSatisfy(
            r -> {
              assertThat(r.reason()).isEqualTo("NETFILTER_DROP");
              assertThat(r.netns()).isEqualTo(4026532778L);
              assertThat(r.iface()).isEqualTo("dtb0");
            });
    List<DropRecord> vxlan = all.stream().filter(r -> "vxlan".equals(r.encap())).toList();
    List<DropRecord> plain = all.stream().filter(r -> r.encap() == null).toList();
    // ten packets a second of each, one key per packet (the source port differs)
    assertThat(vxlan.stream().mapToLong(DropRecord::count).sum()).isEqualTo(105);
    assertThat(plain.stream().mapToLong(DropRecord::count).sum()).isEqualTo(105);
    assertThat(vxlan)
        .allSatisfy(
            r -> {
              assertThat(r.flow().src()).isEqualTo("10.200.0.1");
              assertThat(r.flow().dst()).isEqualTo("10.200.0.2");
              assertThat(r.flow().dport()).isEqualTo(7777);
              assertThat(r.tunnel().src()).isEqualTo("10.99.0.1");
              assertThat(r.tunnel().dst()).isEqualTo("10.99.0.2");
              assertThat(r.tunnel().dport()).isEqualTo(8472);
            });
    assertThat(plain)
        .allSatisfy(
            r ->
                assertThat(r.flow())
                    .extracting(DropFlow::dst, DropFlow::dport)
                    .containsExactly("10.99.0.2", 9999));
  }

  @Test
  void allReasonsIncludesNoSocketOnLoopback() throws IOException {
    List<DropRecord> first =
        parser.parse(recorded("bpftrace-0.17-all-reasons.jsonl").get(1)).drops();
    List<DropRecord> noSocket = first.stream().filter(r -> r.reason().equals("NO_SOCKET")).toList();
    assertThat(noSocket).hasSize(2);
    assertThat(noSocket)
        .allSatisfy(
            r -> {
              assertThat(r.iface()).isEqualTo("lo");
              assertThat(r.flow().dst()).isEqualTo("10.99.0.2");
              assertThat(r.flow().dport()).isEqualTo(5555);
            });
  }

  @Test
  void aNetfilterDropOfPlainUdp() throws IOException {
    DropRecord r = parser.parse(recorded("bpftrace-0.17-host.jsonl").get(1)).drops().get(0);
    assertThat(r.netns()).isEqualTo(4026532778L);
    assertThat(r.iface()).isEqualTo("dtb0");
    assertThat(r.reasonCode()).isEqualTo(12);
    assertThat(r.reason()).isEqualTo("NETFILTER_DROP");
    assertThat(r.ethertype()).isEqualTo(0x0800);
    assertThat(r.encap()).isNull();
    assertThat(r.tunnel()).isNull();
    assertThat(r.flow()).isEqualTo(new DropFlow(17, "10.99.0.1", "10.99.0.2", 46471, 9999));
    assertThat(r.count()).isEqualTo(1);
  }

  @Test
  void aVxlanPacketWithAnArpInsideHasNoInnerFlow() throws IOException {
    DropRecord r = parser.parse(recorded("bpftrace-0.17-host.jsonl").get(1)).drops().get(1);
    assertThat(r.encap()).isEqualTo("vxlan");
    assertThat(r.inner()).isNull();
    assertThat(r.flow()).isNull();
    assertThat(r.tunnel()).isEqualTo(new DropFlow(17, "10.99.0.1", "10.99.0.2", 60989, 8472));
  }

  @Test
  void dropsWithoutDeviceAndWithoutPorts() throws IOException {
    List<DropRecord> drops = parser.parse(recorded("bpftrace-0.17-host.jsonl").get(4)).drops();
    DropRecord icmp =
        drops.stream().filter(d -> d.outer() != null && d.outer().proto() == 1).findFirst().get();
    assertThat(icmp.reason()).isEqualTo("NO_SOCKET");
    assertThat(icmp.iface()).isEqualTo("eth0");
    // (the prototype read no ICMP header: its port fields are 0, ICMP's ids are tested below)
    DropRecord v6 = drops.stream().filter(d -> d.ethertype() == 0x86dd).findFirst().get();
    assertThat(v6.outer()).isNull();
    assertThat(v6.flow()).isNull();
    DropRecord purge =
        parser.parse(recorded("bpftrace-0.17-host.jsonl").get(2)).drops().stream()
            .filter(d -> d.netns() == 0)
            .findFirst()
            .get();
    assertThat(purge.iface()).isEmpty();
    assertThat(purge.flow().src()).isEqualTo("127.0.0.1");
  }

  @Test
  void anIcmpEchoDropCarriesTheKeyPortsOfItsIdentifierPlainAndInsideVxlan() throws IOException {
    List<DropRecord> all =
        recorded("bpftrace-0.17-icmp.jsonl").stream()
            .map(parser::parse)
            .flatMap(l -> l.drops().stream())
            .filter(r -> r.flow() != null)
            .toList();
    // dtA pinged 10.99.0.2 (echo id 5092) and, over the VXLAN device, 10.200.0.2 (id 5093)
    List<DropRecord> plain =
        all.stream().filter(r -> r.encap() == null && r.flow().proto() == 1).toList();
    List<DropRecord> vxlan =
        all.stream().filter(r -> r.encap() != null && r.flow().proto() == 1).toList();
    assertThat(plain).isNotEmpty();
    assertThat(vxlan).isNotEmpty();
    assertThat(plain)
        .allSatisfy(
            r ->
                assertThat(r.flow()).isEqualTo(new DropFlow(1, "10.99.0.1", "10.99.0.2", 5092, 0)));
    assertThat(vxlan)
        .allSatisfy(
            r -> {
              assertThat(r.flow()).isEqualTo(new DropFlow(1, "10.200.0.1", "10.200.0.2", 5093, 0));
              assertThat(r.tunnel().dport()).isEqualTo(8472);
            });
    // the UDP beside them keeps its ports
    assertThat(all)
        .filteredOn(r -> r.encap() != null && r.flow().proto() == 17)
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.flow().dport()).isEqualTo(7777));
  }

  @Test
  void icmpOtherThanQueriesIsKeyedByTypeAndCode() {
    // an ICMP port unreachable (type 3 code 3, 0x0303), identifier field 0
    DropRecord r =
        parser
            .parse(
                "{\"type\": \"map\", \"data\": {\"@drops\": {\"7,3,2048,1,16802570,33579786,771,0,0,0,0,0,0,0,x\": 1}}}")
            .drops()
            .get(0);
    assertThat(r.flow()).isEqualTo(new DropFlow(1, "10.99.0.1", "10.99.0.2", 3, 3));
  }

  @Test
  void deviceNamesMayHoldCommasAndUnknownReasonsKeepTheirNumber() {
    BpftraceOutput.Line l =
        parser.parse(
            "{\"type\": \"map\", \"data\": {\"@drops\": {\"7,999,2048,17,16802570,33579786,1,2,0,0,0,0,0,0,a,b\": 5}}}");
    DropRecord r = l.drops().get(0);
    assertThat(r.iface()).isEqualTo("a,b");
    assertThat(r.reason()).isEqualTo("REASON_999");
    assertThat(r.count()).isEqualTo(5);
  }

  @Test
  void bigEndianMachinesReadAddressesTheOtherWayRound() throws IOException {
    BpftraceOutput be =
        new BpftraceOutput(DropReasons.parse(DropReasonsTest.format618()), ByteOrder.BIG_ENDIAN);
    DropRecord r =
        be.parse(
                "{\"type\": \"map\", \"data\": {\"@drops\": {\"7,12,2048,17,168427521,168427522,1,2,0,0,0,0,0,0,x\": 1}}}")
            .drops()
            .get(0);
    assertThat(r.flow().src()).isEqualTo("10.10.0.1");
    assertThat(r.flow().dst()).isEqualTo("10.10.0.2");
  }

  @Test
  void enumNamesArePossibleToo() {
    DropRecord r =
        parser
            .parse(
                "{\"type\": \"map\", \"data\": {\"@drops\": {\"7,SKB_DROP_REASON_NETFILTER_DROP,0,0,0,0,0,0,0,0,0,0,0,0,x\": 1}}}")
            .drops()
            .get(0);
    assertThat(r.reason()).isEqualTo("NETFILTER_DROP");
    assertThat(r.reasonCode()).isEqualTo(12);
  }

  @Test
  void otherLinesAreNotDrops() {
    assertThat(parser.parse("Attaching 3 probes...").kind()).isEqualTo(BpftraceOutput.Kind.OTHER);
    assertThat(parser.parse("{\"type\": \"printf\", \"data\": \"x\"}").kind())
        .isEqualTo(BpftraceOutput.Kind.OTHER);
    assertThat(parser.parse("{broken").kind()).isEqualTo(BpftraceOutput.Kind.OTHER);
    assertThat(parser.parse("{\"type\": \"map\", \"data\": {\"@drops\": {}}}").drops()).isEmpty();
  }

  @Test
  void aMalformedKeyIsAClearError() {
    assertThatThrownBy(
            () -> parser.parse("{\"type\": \"map\", \"data\": {\"@drops\": {\"1,2,3\": 1}}}"))
        .isInstanceOf(DropWatchException.class)
        .hasMessageContaining("unexpected bpftrace map key (3 fields, want 15)");
    assertThatThrownBy(
            () ->
                parser.parse(
                    "{\"type\": \"map\", \"data\": {\"@drops\": {\"x,2,3,4,5,6,7,8,9,10,11,12,13,14,d\": 1}}}"))
        .isInstanceOf(DropWatchException.class)
        .hasMessageContaining("unexpected bpftrace map key");
  }
}
