package io.hoptrace.lab;

import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketSummary;
import java.util.List;
import java.util.stream.Collectors;

/** Runs detection over synthetic input: the plain core, or the Kafka Streams topology. */
public interface Harness extends AutoCloseable {
  void nodes(List<NodeInventory> nodes);

  void send(List<PacketSummary> packets);

  /**
   * Drop records of the sensors (the drops topic), each to its conversation's partition. Hosts that
   * do not take them say so.
   */
  default void drops(List<io.hoptrace.schema.KernelDrop> drops) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " takes no drop records");
  }

  /** Lets time pass without traffic (wall clock for engines, event time for the core). */
  void idle(long nanos);

  /** End of input: everything flushed. */
  void finish();

  List<Alert> alerts();

  List<FlowRecord> flows();

  @Override
  void close();

  default List<Alert> alerts(AlertType type) {
    return alerts().stream().filter(a -> a.getType() == type).collect(Collectors.toList());
  }

  default List<Alert> firing(AlertType type) {
    return alerts(type).stream()
        .filter(a -> a.getStatus() == AlertStatus.FIRING)
        .collect(Collectors.toList());
  }

  default List<Alert> firing() {
    return alerts().stream()
        .filter(a -> a.getStatus() == AlertStatus.FIRING)
        .collect(Collectors.toList());
  }

  default List<FlowRecord> finalFlows() {
    return flows().stream().filter(FlowRecord::getFinal$).collect(Collectors.toList());
  }
}
