package io.hoptrace.drops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.InterfaceRoles;
import io.hoptrace.contract.FlowKey;
import io.hoptrace.discovery.DiscoveredHop;
import io.hoptrace.schema.EncapType;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.KernelDrop;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The sensor side of drop reasons on the recorded bpftrace output of {@link BpftraceOutputTest}:
 * namespace inode 4026532778 (device dtb0) drops plain UDP 9999 and VXLAN 8472 with iptables.
 */
class SensorDropsTest {

  static final long DTB = 4026532778L;

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final List<KernelDrop> published = new ArrayList<>();
  final List<String> said = new ArrayList<>();
  final AtomicLong wall = new AtomicLong(5_000_000_000L);

  private SensorDrops drops(long nodeNs) {
    DropHops hops =
        new DropHops(
            "node-b",
            nodeNs,
            InterfaceRoles.defaults(),
            () ->
                List.of(
                    new DiscoveredHop(
                        new HopContext("node-b", null, "dtb0", InterfaceRole.UPLINK), null, null)),
            System::nanoTime,
            1_000_000_000L);
    return new SensorDrops(hops, published::add, registry, said::add, wall::get);
  }

  private static List<List<DropRecord>> recordedIntervals() throws IOException {
    BpftraceOutput parser =
        new BpftraceOutput(DropReasons.parse(DropReasonsTest.format618()), ByteOrder.LITTLE_ENDIAN);
    return BpftraceOutputTest.recorded("bpftrace-0.17-netns.jsonl").stream()
        .map(parser::parse)
        .filter(l -> l.kind() == BpftraceOutput.Kind.DROPS && !l.drops().isEmpty())
        .map(BpftraceOutput.Line::drops)
        .toList();
  }

  @Test
  void eachDropIsARecordOfItsHopKeyedByTheCanonicalFlowKeyAndCounted() throws IOException {
    SensorDrops d = drops(DTB);
    for (List<DropRecord> interval : recordedIntervals()) {
      wall.addAndGet(1_000_000_000L);
      d.interval(interval);
    }

    assertThat(published).isNotEmpty();
    assertThat(published.stream().mapToLong(KernelDrop::getCount).sum()).isEqualTo(210);
    assertThat(published)
        .allSatisfy(
            r -> {
              assertThat(r.getHop()).isEqualTo("node-b/dtb0");
              assertThat(r.getRole()).isEqualTo(InterfaceRole.UPLINK);
              assertThat(r.getReason()).isEqualTo("NETFILTER_DROP");
              assertThat(r.getReasonCode()).isEqualTo(12);
              assertThat(r.getNetns()).isEqualTo(DTB);
              assertThat(r.getFlowKey())
                  .isEqualTo(
                      FlowKey.key(
                          r.getFlow().getProto(),
                          r.getFlow().getSrc(),
                          r.getFlow().getSport(),
                          r.getFlow().getDst(),
                          r.getFlow().getDport()));
              assertThat(r.getIntervalEndNanos() - r.getIntervalStartNanos())
                  .isEqualTo(1_000_000_000L);
            });
    List<KernelDrop> vxlan =
        published.stream().filter(r -> r.getEncapType() == EncapType.VXLAN).toList();
    assertThat(vxlan.stream().mapToLong(KernelDrop::getCount).sum()).isEqualTo(105);
    assertThat(vxlan)
        .allSatisfy(
            r -> {
              // keyed by the inner flow, as the flow's summaries are; the outer one rides along
              assertThat(r.getFlow().getDst()).isEqualTo("10.200.0.2");
              assertThat(r.getFlow().getDport()).isEqualTo(7777);
              assertThat(r.getOuter().getDst()).isEqualTo("10.99.0.2");
              assertThat(r.getOuter().getDport()).isEqualTo(8472);
            });
    assertThat(
            registry
                .get(SensorDrops.KERNEL_DROPS)
                .tag("reason", "NETFILTER_DROP")
                .tag("role", "UPLINK")
                .counter()
                .count())
        .isEqualTo(210.0);
    assertThat(registry.get(SensorDrops.UNMAPPED).counter().count()).isZero();
    // no base unit: Prometheus would name them hoptrace_kernel_drops_packets_total and
    // hoptrace_sensor_drop_reasons_unmapped_packets_total, not the documented names
    assertThat(registry.get(SensorDrops.KERNEL_DROPS).counter().getId().getBaseUnit()).isNull();
    assertThat(registry.get(SensorDrops.UNMAPPED).counter().getId().getBaseUnit()).isNull();
  }

  @Test
  void anIcmpEchoDropIsKeyedByThePingsConversationKeyWithItsEchoId() throws IOException {
    // recorded with dtB re-created (inode 4026532239): ping 10.99.0.2 (id 5092), 10.200.0.2 over
    // VXLAN (id 5093), dropped by dtB's iptables
    SensorDrops d = drops(4026532239L);
    BpftraceOutput parser =
        new BpftraceOutput(DropReasons.parse(DropReasonsTest.format618()), ByteOrder.LITTLE_ENDIAN);
    for (String line : BpftraceOutputTest.recorded("bpftrace-0.17-icmp.jsonl")) {
      wall.addAndGet(1_000_000_000L);
      d.interval(parser.parse(line).drops());
    }
    List<KernelDrop> icmp = published.stream().filter(r -> r.getFlow().getProto() == 1).toList();
    // the key the decoder gives the echo requests and their replies (sport = id of the request)
    assertThat(icmp)
        .extracting(KernelDrop::getFlowKey)
        .containsOnly("1|10.99.0.1|5092|10.99.0.2|0", "1|10.200.0.1|5093|10.200.0.2|0")
        .contains("1|10.99.0.1|5092|10.99.0.2|0", "1|10.200.0.1|5093|10.200.0.2|0");
    assertThat(
            FlowKey.key(
                1,
                "10.99.0.2",
                io.hoptrace.decode.IcmpKeyPorts.sport4(0, 0, 5092),
                "10.99.0.1",
                io.hoptrace.decode.IcmpKeyPorts.dport4(0, 0, 5092)))
        .as("the reply's key")
        .isEqualTo("1|10.99.0.1|5092|10.99.0.2|0");
  }

  @Test
  void dropsInAnotherNamespaceAreNotThisSensorsAndOnlyCountedAsUnmapped() throws IOException {
    SensorDrops d = drops(DTB + 1);
    for (List<DropRecord> interval : recordedIntervals()) {
      d.interval(interval);
    }
    assertThat(published).isEmpty();
    assertThat(registry.get(SensorDrops.UNMAPPED).counter().count()).isEqualTo(210.0);
    assertThat(registry.find(SensorDrops.KERNEL_DROPS).counters()).isEmpty();
  }

  @Test
  void offSaysSoInOneLineAndTheGaugeIsZero() {
    SensorDrops d =
        SensorDrops.start(
            SensorDrops.Mode.OFF,
            DropWatch.Config.defaults(),
            new DropHops("n", 1, InterfaceRoles.defaults(), List::of, System::nanoTime, 1),
            published::add,
            registry,
            said::add);
    assertThat(said).containsExactly("kernel drop reasons: off (--drop-reasons off)");
    assertThat(d.enabled()).isFalse();
    assertThat(registry.get(SensorDrops.ENABLED).gauge().value()).isZero();
    d.close();
  }

  @Test
  void autoWithoutBpftraceGoesOnInOneLineAndOnRefuses() {
    DropWatch.Config missing =
        new DropWatch.Config(
            java.util.OptionalLong.empty(),
            0,
            false,
            DropScript.DEFAULT_VXLAN_PORTS,
            "/nonexistent/bpftrace",
            DropReasons.TRACEFS);
    DropHops none = new DropHops("n", 1, InterfaceRoles.defaults(), List::of, System::nanoTime, 1);
    SensorDrops d =
        SensorDrops.start(
            SensorDrops.Mode.AUTO, missing, none, published::add, registry, said::add);
    assertThat(said).hasSize(1);
    assertThat(said.get(0)).startsWith("kernel drop reasons: off, not supported here: ");
    assertThat(d.enabled()).isFalse();
    assertThatThrownBy(
            () ->
                SensorDrops.start(
                    SensorDrops.Mode.ON,
                    missing,
                    none,
                    published::add,
                    new SimpleMeterRegistry(),
                    said::add))
        .isInstanceOf(DropWatchException.class)
        .hasMessageStartingWith("--drop-reasons on: ");
  }

  @Test
  void modesParseAndAnythingElseNamesTheOption() {
    assertThat(SensorDrops.Mode.parse("auto")).isEqualTo(SensorDrops.Mode.AUTO);
    assertThat(SensorDrops.Mode.parse("OFF")).isEqualTo(SensorDrops.Mode.OFF);
    assertThatThrownBy(() -> SensorDrops.Mode.parse("maybe"))
        .hasMessage("--drop-reasons maybe: must be auto, on or off");
  }
}
