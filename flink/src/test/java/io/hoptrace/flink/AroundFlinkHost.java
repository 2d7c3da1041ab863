package io.hoptrace.flink;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.pipeline.DetectionHost;
import io.hoptrace.pipeline.PacketSink;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.Incident;
import io.hoptrace.schema.NodeInventory;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** A {@link FlinkHost} as a replay drives it, with steps an IT changes by overriding them. */
class AroundFlinkHost implements DetectionHost {
  final FlinkHost host;

  AroundFlinkHost(FlinkHost host) {
    this.host = host;
  }

  @Override
  public DetectionConfig detectionConfig() {
    return host.detectionConfig();
  }

  @Override
  public void start() {
    host.start();
  }

  @Override
  public void publishInventory(List<NodeInventory> inventories, Duration timeout) {
    host.publishInventory(inventories, timeout);
  }

  @Override
  public PacketSink newPacketSink() {
    return host.newPacketSink();
  }

  @Override
  public void endOfInput(Duration timeout) {
    host.endOfInput(timeout);
  }

  @Override
  public List<Alert> readAlerts() {
    return host.readAlerts();
  }

  @Override
  public List<FlowRecord> readFlows() {
    return host.readFlows();
  }

  @Override
  public List<Incident> readIncidents() {
    return host.readIncidents();
  }

  @Override
  public Watch watchAlerts(Consumer<Alert> onAlert) {
    return host.watchAlerts(onAlert);
  }

  @Override
  public void close() {
    host.close();
  }
}
