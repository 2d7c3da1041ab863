package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hoptrace.capture.TestNetns;
import io.hoptrace.contract.FlowKey;
import io.hoptrace.embedded.EmbeddedKafka;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.EncapType;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.KernelDrop;
import io.hoptrace.schema.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code hoptrace sensor --drop-reasons} on the real kernel (root, bpftrace) against an embedded
 * broker: namespace B (the sensor's node, {@code --netns}) drops UDP 9999 and the VXLAN port 8472
 * with iptables; namespace A sends plain UDP to 9999 and UDP to 7777 inside VXLAN (VNI 42) over the
 * veth pair. With {@code on} the drops topic holds NETFILTER_DROP records of B's hop, keyed by the
 * canonical flow key (the inner flow for VXLAN, the outer one kept); with {@code off} it stays
 * empty. Both sensors exit before the topic is read to its end, so nothing depends on timing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SensorDropReasonsIT {
  private static final Path TRACEFS = Path.of("/sys/kernel/tracing");

  private IptablesDropPair pair;
  private EmbeddedKafka kafka;

  @BeforeAll
  void setUp() throws Exception {
    String netns = TestNetns.unavailableReason();
    assumeTrue(netns == null, "sensor drop reasons IT skipped: " + netns);
    assumeTrue(
        TestNetns.run("bpftrace", "--version").exit() == 0,
        "sensor drop reasons IT skipped: bpftrace not installed (apt-get install bpftrace)");
    if (!Files.exists(TRACEFS.resolve("events"))) {
      TestNetns.run("mount", "-t", "tracefs", "nodev", TRACEFS.toString());
    }
    assumeTrue(
        Files.exists(Path.of("/sys/kernel/btf/vmlinux")),
        "sensor drop reasons IT skipped: the kernel has no BTF");
    pair = new IptablesDropPair("hts", "10.97", "10.197").start();
    kafka = EmbeddedKafka.start();
    pair.send(300); // during both sensor runs
  }

  @AfterAll
  void cleanUp() throws Exception {
    if (kafka != null) {
      kafka.close();
    }
    if (pair != null) {
      pair.close();
    }
  }

  /** Runs the sensor on B's veth for 15 s; returns its stderr. */
  private String sensor(String prefix, String mode) {
    StringWriter err = new StringWriter();
    picocli.CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err, true));
    int code =
        cl.execute(
            "sensor",
            "--node",
            "node-b",
            "--netns",
            pair.nsB,
            "--iface",
            pair.vethB,
            "--role",
            pair.vethB + "=UPLINK",
            "--bootstrap",
            kafka.bootstrapServers(),
            "--topic-prefix",
            prefix,
            "--no-inventory",
            "--duration",
            "15",
            "--drop-reasons",
            mode);
    assertThat(code).as(err.toString()).isZero();
    return err.toString();
  }

  /** Every record of a topic up to its end offsets (the sensor has exited and flushed). */
  private List<KernelDrop> drops(String topic) {
    Properties p = new Properties();
    p.putAll(kafka.clientConfig());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    List<KernelDrop> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          c.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long want = end.values().stream().mapToLong(Long::longValue).sum();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (out.size() < want && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          KernelDrop k = AvroSerde.kernelDrop().decode(r.value());
          assertThat(r.key()).isEqualTo(k.getFlowKey());
          out.add(k);
        }
      }
      assertThat(out).as("records up to the end offsets").hasSize((int) want);
    }
    return out;
  }

  @Test
  void onPublishesTheKernelsReasonsOfTheNodesHopKeyedByTheFlow() {
    String prefix = "drops" + UUID.randomUUID().toString().substring(0, 8) + ".";
    String err = sensor(prefix, "on");
    assertThat(err).contains("kernel drop reasons: on");

    List<KernelDrop> drops = drops(Topics.withPrefix(prefix).drops());
    List<KernelDrop> plain =
        drops.stream()
            .filter(k -> k.getEncapType() == null && k.getFlow().getDport() == 9999)
            .toList();
    List<KernelDrop> vxlan =
        drops.stream().filter(k -> k.getEncapType() == EncapType.VXLAN).toList();
    assertThat(plain).as("stderr: %s", err).isNotEmpty();
    assertThat(vxlan).as("stderr: %s", err).isNotEmpty();
    for (KernelDrop k : drops) {
      assertThat(k.getReason()).isEqualTo("NETFILTER_DROP");
      assertThat(k.getHop()).isEqualTo("node-b/" + pair.vethB);
      assertThat(k.getRole()).isEqualTo(InterfaceRole.UPLINK);
      assertThat(k.getCount()).isPositive();
      assertThat(k.getFlowKey())
          .isEqualTo(
              FlowKey.key(
                  k.getFlow().getProto(),
                  k.getFlow().getSrc(),
                  k.getFlow().getSport(),
                  k.getFlow().getDst(),
                  k.getFlow().getDport()));
    }
    assertThat(plain.get(0).getFlow().getSrc()).isEqualTo("10.97.0.1");
    for (KernelDrop k : vxlan) {
      assertThat(k.getFlow().getDst()).isEqualTo("10.197.0.2");
      assertThat(k.getFlow().getDport()).isEqualTo(7777);
      assertThat(k.getOuter().getSrc()).isEqualTo("10.97.0.1");
      assertThat(k.getOuter().getDport()).isEqualTo(8472);
    }
  }

  @Test
  void offPublishesNothingAndSaysSo() {
    String prefix = "nodrops" + UUID.randomUUID().toString().substring(0, 8) + ".";
    String err = sensor(prefix, "off");
    assertThat(err).contains("kernel drop reasons: off (--drop-reasons off)");
    assertThat(drops(Topics.withPrefix(prefix).drops())).isEmpty();
  }
}
