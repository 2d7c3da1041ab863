package io.hoptrace.lab;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.AvroTrust;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.Incident;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.Topics;
import io.hoptrace.streams.DetectionTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The Kafka Streams topology under {@link TopologyTestDriver}, exactly-once. On a state directory
 * of the test's ({@link #TopologyHarness(Path)}: restart tests) the stores are RocksDB, as in a
 * job; otherwise in memory: the driver commits after every record and then writes and fsyncs one
 * checkpoint file per persistent store, which made the scenario suite several times slower (the
 * stores' contents and changelogs are the same).
 */
public final class TopologyHarness implements Harness {
  private final Topics topics = Topics.defaults();
  private final Path stateDir;
  private final boolean ownDir;
  private TopologyTestDriver driver;
  private TestInputTopic<String, PacketSummary> packets;
  private TestInputTopic<String, NodeInventory> nodes;
  private TestInputTopic<String, io.hoptrace.schema.KernelDrop> drops;
  private TestOutputTopic<String, Alert> alertsOut;
  private TestOutputTopic<String, FlowRecord> flowsOut;
  private TestOutputTopic<String, String> ecsOut;
  private final List<Alert> alerts = new ArrayList<>();
  private TestOutputTopic<String, Incident> incidentsOut;
  private final List<Incident> incidents = new ArrayList<>();
  private final List<FlowRecord> flows = new ArrayList<>();
  private final List<String> ecs = new ArrayList<>();
  private Instant wall = Instant.ofEpochMilli(Lab.sec(0) / 1_000_000L);

  public TopologyHarness() {
    this(tempDir(), true);
  }

  public TopologyHarness(Path stateDir) {
    this(stateDir, false);
  }

  private TopologyHarness(Path stateDir, boolean ownDir) {
    AvroTrust.install();
    this.stateDir = stateDir;
    this.ownDir = ownDir;
    open();
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("hoptrace-ttd");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a driver on the state directory (as a restarted job would). */
  public void open() {
    DetectionTopology t = new DetectionTopology(topics, DetectionConfig.defaults());
    if (ownDir) {
      t.inMemoryStores();
    }
    driver =
        new TopologyTestDriver(
            t.build(), DetectionTopology.config("unused:9092", "hoptrace-test", stateDir), wall);
    packets =
        driver.createInputTopic(
            topics.packets(), Serdes.String().serializer(), AvroSerde.packetSummary().serializer());
    drops =
        driver.createInputTopic(
            topics.drops(), Serdes.String().serializer(), AvroSerde.kernelDrop().serializer());
    nodes =
        driver.createInputTopic(
            topics.nodes(), Serdes.String().serializer(), AvroSerde.nodeInventory().serializer());
    alertsOut =
        driver.createOutputTopic(
            topics.alerts(), Serdes.String().deserializer(), AvroSerde.alert().deserializer());
    flowsOut =
        driver.createOutputTopic(
            topics.flows(), Serdes.String().deserializer(), AvroSerde.flowRecord().deserializer());
    ecsOut =
        driver.createOutputTopic(
            topics.alertsEcs(), Serdes.String().deserializer(), Serdes.String().deserializer());
    incidentsOut =
        driver.createOutputTopic(
            topics.incidents(),
            Serdes.String().deserializer(),
            AvroSerde.incident().deserializer());
  }

  /** Every incident record the topology wrote so far. */
  public List<Incident> incidents() {
    if (driver != null) {
      incidents.addAll(incidentsOut.readValuesToList());
    }
    return incidents;
  }

  public TopologyTestDriver driver() {
    return driver;
  }

  @Override
  public void nodes(List<NodeInventory> list) {
    for (NodeInventory n : list) {
      nodes.pipeInput(n.getNode(), n, wall);
    }
    tick(Duration.ofSeconds(1));
  }

  private void tick(Duration d) {
    driver.advanceWallClockTime(d);
    wall = wall.plus(d);
  }

  @Override
  public void send(List<PacketSummary> list) {
    for (PacketSummary p : list) {
      packets.pipeInput(p.getFlowKey(), p, p.getTsNanos() / 1_000_000L);
    }
  }

  @Override
  public void drops(List<io.hoptrace.schema.KernelDrop> list) {
    for (io.hoptrace.schema.KernelDrop k : list) {
      drops.pipeInput(k.getFlowKey(), k, k.getIntervalEndNanos() / 1_000_000L);
    }
  }

  /** Raw bytes on the drops topic (bad records). */
  public void sendRawDrop(byte[] value) {
    driver
        .createInputTopic(
            topics.drops(), Serdes.String().serializer(), Serdes.ByteArray().serializer())
        .pipeInput("garbage", value);
  }

  /** Raw bytes on the packets topic (bad records). */
  public void sendRaw(byte[] value) {
    driver
        .createInputTopic(
            topics.packets(), Serdes.String().serializer(), Serdes.ByteArray().serializer())
        .pipeInput("garbage", value);
  }

  @Override
  public void idle(long nanos) {
    for (long t = nanos; t > 0; t -= 1_000_000_000L) {
      tick(Duration.ofNanos(Math.min(t, 1_000_000_000L)));
    }
  }

  @Override
  public void finish() {
    packets.pipeInput(DetectionTopology.FLUSH_KEY, null);
  }

  @Override
  public List<Alert> alerts() {
    if (driver != null) {
      alerts.addAll(alertsOut.readValuesToList());
    }
    return alerts;
  }

  @Override
  public List<FlowRecord> flows() {
    if (driver != null) {
      flows.addAll(flowsOut.readValuesToList());
    }
    return flows;
  }

  public List<String> ecs() {
    if (driver != null) {
      ecs.addAll(ecsOut.readValuesToList());
    }
    return ecs;
  }

  /** Closes the driver; outputs read so far stay available. */
  public void stop() {
    alerts();
    flows();
    ecs();
    driver.close();
    driver = null;
  }

  @Override
  public void close() {
    if (driver != null) {
      stop();
    }
    if (ownDir) {
      try (Stream<Path> s = Files.walk(stateDir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // best effort
      }
    }
  }

  /** Registers this host with the scenario suite of the detection module's test-jar. */
  public static final class Factory implements HarnessFactory {
    @Override
    public String name() {
      return "kafka-streams";
    }

    @Override
    public Harness create() {
      return new TopologyHarness();
    }
  }
}
