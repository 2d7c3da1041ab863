package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hoptrace.capture.TestNetns;
import io.hoptrace.contract.HopId;
import io.hoptrace.embedded.EmbeddedKafka;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.EncapType;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code hoptrace sensor} against a real embedded broker: replay, and live capture as root. */
class SensorCommandIT {

  private static final Path CAPTURES = Path.of("../sensor/src/test/resources/conformance");

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  private static int sensor(StringWriter err, String... args) {
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err, true));
    String[] full = new String[args.length + 1];
    full[0] = "sensor";
    System.arraycopy(args, 0, full, 1, args.length);
    return cl.execute(full);
  }

  /** Reads a topic from the start until {@code done} holds for what was read, or 30 s. */
  private static <T extends org.apache.avro.specific.SpecificRecord>
      List<ConsumerRecord<String, T>> consume(
          String topic, AvroSerde<T> serde, Predicate<List<ConsumerRecord<String, T>>> done) {
    Properties p = new Properties();
    p.putAll(kafka.clientConfig());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, T>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!done.test(out) && System.nanoTime() < end) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          out.add(
              new ConsumerRecord<>(
                  r.topic(), r.partition(), r.offset(), r.key(), serde.decode(r.value())));
        }
      }
    }
    return out;
  }

  @Test
  void replayPublishesOneSummaryPerPacketKeyedByTheInnerFlow() {
    String prefix = "replay" + UUID.randomUUID().toString().substring(0, 8) + ".";
    StringWriter err = new StringWriter();

    int code =
        sensor(
            err,
            "--pcap",
            CAPTURES.resolve("tcpdump/vxlan_port_8472.pcap").toString(),
            "--node",
            "node-a",
            "--iface",
            "ens33",
            "--bootstrap",
            kafka.bootstrapServers(),
            "--topic-prefix",
            prefix,
            "--no-inventory",
            "--summaries",
            "full");

    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString())
        .contains(
            "10 packets",
            "packets/s",
            "10 records sent (10 summaries, 0 counters, full), 0 failed");
    List<ConsumerRecord<String, PacketSummary>> records =
        consume(
            Topics.withPrefix(prefix).packets(), AvroSerde.packetSummary(), l -> l.size() >= 10);
    assertThat(records).hasSize(10);
    PacketSummary first =
        records.stream()
            .map(ConsumerRecord::value)
            .filter(s -> s.getIcmp() != null && s.getIcmp().getType() == 8)
            .findFirst()
            .orElseThrow();
    assertThat(first.getNode()).isEqualTo("node-a");
    assertThat(first.getIface()).isEqualTo("ens33");
    assertThat(first.getRole()).isEqualTo(InterfaceRole.UPLINK);
    assertThat(first.getSrc()).isEqualTo("192.168.203.3");
    assertThat(first.getEncap()).hasSize(1);
    assertThat(first.getEncap().get(0).getType()).isEqualTo(EncapType.VXLAN);
    assertThat(first.getEncap().get(0).getVni()).isEqualTo(100);
    // request and reply of the inner ping share one key, so they share one partition
    Map<String, List<Integer>> partitionsByKey =
        records.stream()
            .filter(r -> r.value().getIcmp() != null)
            .collect(
                Collectors.groupingBy(
                    ConsumerRecord::key,
                    Collectors.mapping(ConsumerRecord::partition, Collectors.toList())));
    assertThat(partitionsByKey).containsKey(first.getFlowKey());
    partitionsByKey.values().forEach(ps -> assertThat(ps).containsOnly(ps.get(0)));
  }

  @Test
  void liveCaptureOnTwoHopsGivesTheSamePacketOneKeyAndOneFingerprint() throws Exception {
    String why = TestNetns.unavailableReason();
    assumeTrue(why == null, why);
    long id = ProcessHandle.current().pid() % 200 + 20;
    String ns = "htsen" + id;
    String hostIf = "hts" + id + "h";
    String podAddr = "10.214." + id + ".2";
    List<String> namespaces = List.of(ns);
    List<String> links = List.of(hostIf);
    try {
      TestNetns.vethToNamespace(ns, hostIf, "10.214." + id);
      String prefix = "live" + id + ".";
      StringWriter err = new StringWriter();
      CompletableFuture<Integer> run =
          CompletableFuture.supplyAsync(
              () ->
                  sensor(
                      err,
                      "--node",
                      "node-a",
                      "--iface",
                      hostIf,
                      "--pod-iface",
                      "pod-1=" + ns + ":eth0",
                      "--filter",
                      "icmp",
                      "--bootstrap",
                      kafka.bootstrapServers(),
                      "--topic-prefix",
                      prefix,
                      "--duration",
                      "6"));
      Thread.sleep(2500); // captures open (tcpdump in the namespace takes a moment)
      TestNetns.must("ping", "-c", "5", "-i", "0.2", "-W", "1", podAddr);

      assertThat(run.get(60, TimeUnit.SECONDS)).as(err.toString()).isZero();
      List<PacketSummary> got =
          consume(
                  Topics.withPrefix(prefix).packets(),
                  AvroSerde.packetSummary(),
                  l -> l.size() >= 20)
              .stream()
              .map(ConsumerRecord::value)
              .toList();
      List<PacketSummary> requests =
          got.stream().filter(s -> s.getIcmp() != null && s.getIcmp().getType() == 8).toList();
      List<PacketSummary> onVeth =
          requests.stream().filter(s -> s.getIface().equals(hostIf)).toList();
      List<PacketSummary> inPod =
          requests.stream().filter(s -> "pod-1".equals(s.getPod())).toList();
      assertThat(onVeth).hasSize(5);
      assertThat(inPod).hasSize(5);
      assertThat(inPod).allSatisfy(s -> assertThat(s.getRole()).isEqualTo(InterfaceRole.POD));
      assertThat(onVeth.get(0).getRole()).isEqualTo(InterfaceRole.UPLINK);
      assertThat(inPod.stream().map(PacketSummary::getFingerprint).toList())
          .containsExactlyInAnyOrderElementsOf(
              onVeth.stream().map(PacketSummary::getFingerprint).toList());
      assertThat(inPod.stream().map(PacketSummary::getFlowKey).distinct().toList())
          .containsExactly(onVeth.get(0).getFlowKey());
      List<ConsumerRecord<String, NodeInventory>> inventory =
          consume(Topics.withPrefix(prefix).nodes(), AvroSerde.nodeInventory(), l -> !l.isEmpty());
      assertThat(inventory).isNotEmpty();
      assertThat(inventory.get(0).key()).isEqualTo("node-a");
      assertThat(inventory.get(0).value().getInterfaces())
          .anySatisfy(i -> assertThat(i.getName()).isEqualTo(hostIf));
    } finally {
      TestNetns.cleanup(namespaces, links);
    }
  }

  /**
   * {@code sensor --auto} on a node namespace of its own (a bridge {@code cni0}): a pod namespace
   * added while it runs (veth on cni0) is captured within 5 s under its hop id, and once removed
   * its capture stops (it is gone from the final statistics).
   */
  @Test
  void autoCapturesAPodAddedWhileRunningAndStopsWhenItGoes() throws Exception {
    String why = TestNetns.unavailableReason();
    assumeTrue(why == null, why);
    long id = ProcessHandle.current().pid() % 200 + 20;
    String nodeNs = "htan" + id;
    String podNs = "htap" + id;
    String gw = "10.215." + id + ".1";
    List<String> namespaces = List.of(podNs, nodeNs);
    try {
      TestNetns.must("ip", "netns", "add", nodeNs);
      TestNetns.must("ip", "-n", nodeNs, "link", "add", "cni0", "type", "bridge");
      TestNetns.must("ip", "-n", nodeNs, "addr", "add", gw + "/24", "dev", "cni0");
      TestNetns.must("ip", "-n", nodeNs, "link", "set", "cni0", "up");
      String prefix = "auto" + id + ".";
      StringWriter err = new StringWriter();
      CompletableFuture<Integer> run =
          CompletableFuture.supplyAsync(
              () ->
                  sensor(
                      err,
                      "--node",
                      "node-t",
                      "--auto",
                      "--netns",
                      nodeNs,
                      "--pod-netns-prefix",
                      "hta",
                      "--filter",
                      "icmp",
                      "--no-inventory",
                      "--bootstrap",
                      kafka.bootstrapServers(),
                      "--topic-prefix",
                      prefix,
                      "--duration",
                      "16"));
      Thread.sleep(3000); // the sensor runs, capturing cni0 only
      TestNetns.must("ip", "netns", "add", podNs);
      TestNetns.must(
          "ip",
          "-n",
          nodeNs,
          "link",
          "add",
          "vethp" + id,
          "type",
          "veth",
          "peer",
          "name",
          "eth0",
          "netns",
          podNs);
      TestNetns.must("ip", "-n", nodeNs, "link", "set", "vethp" + id, "master", "cni0", "up");
      TestNetns.must("ip", "-n", podNs, "addr", "add", "10.215." + id + ".5/24", "dev", "eth0");
      TestNetns.must("ip", "-n", podNs, "link", "set", "eth0", "up");
      long addedNanos = System.currentTimeMillis() * 1_000_000L;
      // ping from the pod for 6 s, one request per 100 ms
      TestNetns.run("ip", "netns", "exec", podNs, "ping", "-c", "60", "-i", "0.1", "-W", "1", gw);
      TestNetns.must("ip", "netns", "del", podNs); // its veth goes with it
      assertThat(run.get(60, TimeUnit.SECONDS)).as(err.toString()).isZero();

      String hop = "node-t/p" + id + "/eth0";
      List<PacketSummary> inPod =
          consume(
                  Topics.withPrefix(prefix).packets(),
                  AvroSerde.packetSummary(),
                  l -> l.stream().filter(r -> r.value().getPod() != null).count() >= 20)
              .stream()
              .map(ConsumerRecord::value)
              .filter(s -> s.getPod() != null)
              .toList();
      assertThat(inPod).as(err.toString()).isNotEmpty();
      assertThat(inPod)
          .allSatisfy(
              s -> assertThat(HopId.format(s.getNode(), s.getPod(), s.getIface())).isEqualTo(hop));
      assertThat(inPod).allSatisfy(s -> assertThat(s.getRole()).isEqualTo(InterfaceRole.POD));
      long firstNanos = inPod.stream().mapToLong(PacketSummary::getTsNanos).min().orElseThrow();
      double delay = (firstNanos - addedNanos) / 1e9;
      System.out.printf("auto: pod %s first captured %.2f s after its veth came up%n", hop, delay);
      assertThat(delay).as("seconds until captured").isLessThan(5.0);
      String[] lines = err.toString().trim().split("\n");
      String last = lines[lines.length - 1];
      assertThat(last).as(err.toString()).contains("node-t/cni0").doesNotContain(hop);
    } finally {
      TestNetns.cleanup(namespaces, List.of());
    }
  }
}
