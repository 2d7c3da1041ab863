package io.hoptrace.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.IncidentAggregator;
import io.hoptrace.lab.Recordings;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.AvroTrust;
import io.hoptrace.schema.Incident;
import io.hoptrace.schema.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Stage 3 ({@link IncidentStage}) under Flink's operator harness: an alert that reaches it behind
 * the watermark — as stage 2's alerts do, their times trailing the packets' capture time by their
 * detectors' windows — joins the resolved incident it started within the linger of, however far the
 * watermark has run past that linger (up to {@link IncidentAggregator#lateAlertNanos}).
 */
class IncidentStageTest {
  private static final DetectionConfig CFG = DetectionConfig.defaults();
  private static final long LINGER_MS = CFG.get(DetectionConfig.INCIDENT_LINGER_MS);
  private static final long LATE_MS = IncidentAggregator.lateAlertNanos(CFG) / 1_000_000L;

  static {
    AvroTrust.install();
  }

  private final AvroSerde<Alert> alerts = AvroSerde.alert();
  private final AvroSerde<Incident> incidents = AvroSerde.incident();

  @Test
  void aLateAlertOfAResolvedIncidentJoinsItAfterTheWatermarkPassedItsLinger() throws Exception {
    List<Alert> two = twoAlertsOfOneIncident();
    Alert first = two.get(0);
    Alert second = two.get(1);
    long t0 = first.getFirstSeen();
    long resolvedAt = t0 + 5_000_000_000L;
    try (KeyedOneInputStreamOperatorTestHarness<String, SinkRecord, SinkRecord> h = harness()) {
      send(h, at(first, AlertStatus.FIRING, t0, t0 + 1_000_000_000L));
      send(h, at(first, AlertStatus.RESOLVED, t0, resolvedAt));
      long lingerEndMs = resolvedAt / 1_000_000L + LINGER_MS;
      // the watermark runs past the linger (the packets went on), then the other stage-2 task's
      // alert arrives: it started 1 s before the linger ended
      h.processWatermark(new Watermark(lingerEndMs + LATE_MS / 2));
      long late = (lingerEndMs - 1_000) * 1_000_000L;
      send(h, at(second, AlertStatus.FIRING, late, late));

      List<Incident> out = incidents(h);
      assertThat(out).extracting(Incident::getId).containsOnly(first.getIncidentId());
      Incident last = out.get(out.size() - 1);
      assertThat(last.getStatus()).isEqualTo(AlertStatus.FIRING);
      assertThat(last.getAlertIds())
          .as("one incident of both alerts, not a new one of the late alert")
          .containsExactlyInAnyOrder(first.getId(), second.getId());

      // and once a late alert can no longer come, the resolved incident is removed
      send(h, at(second, AlertStatus.RESOLVED, late, late));
      long removableMs = late / 1_000_000L + LINGER_MS + LATE_MS;
      h.processWatermark(new Watermark(removableMs + 1));
      assertThat(h.numKeyedStateEntries()).isZero();
    }
  }

  /** Two alerts of vxlan-blocked that the core puts in one incident. */
  private static List<Alert> twoAlertsOfOneIncident() {
    Map<String, List<Alert>> byIncident =
        Recordings.read("vxlan-blocked").replay().alerts().stream()
            .collect(Collectors.groupingBy(Alert::getIncidentId));
    for (List<Alert> of : byIncident.values()) {
      List<String> ids = of.stream().map(Alert::getId).distinct().toList();
      if (ids.size() >= 2) {
        Alert a = of.stream().filter(x -> x.getId().equals(ids.get(0))).findFirst().orElseThrow();
        Alert b = of.stream().filter(x -> x.getId().equals(ids.get(1))).findFirst().orElseThrow();
        return List.of(a, b);
      }
    }
    throw new AssertionError("vxlan-blocked has no incident of two alerts: " + byIncident);
  }

  private static Alert at(Alert a, AlertStatus status, long firstSeen, long lastSeen) {
    return Alert.newBuilder(a)
        .setStatus(status)
        .setFirstSeen(firstSeen)
        .setLastSeen(lastSeen)
        .build();
  }

  private KeyedOneInputStreamOperatorTestHarness<String, SinkRecord, SinkRecord> harness()
      throws Exception {
    StageSettings settings = new StageSettings(CFG, Topics.defaults(), DetectionGraph.DEFAULT_TICK);
    KeyedOneInputStreamOperatorTestHarness<String, SinkRecord, SinkRecord> h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new IncidentStage(settings)),
            new IncidentStage.ByIncident(),
            Types.STRING);
    h.open();
    return h;
  }

  private void send(
      KeyedOneInputStreamOperatorTestHarness<String, SinkRecord, SinkRecord> h, Alert a)
      throws Exception {
    h.processElement(
        new StreamRecord<>(
            new SinkRecord(Topics.defaults().alerts(), a.getId(), alerts.encode(a), 0L),
            a.getLastSeen() / 1_000_000L));
  }

  private List<Incident> incidents(
      KeyedOneInputStreamOperatorTestHarness<String, SinkRecord, SinkRecord> h) {
    List<Incident> out = new ArrayList<>();
    for (SinkRecord r : h.extractOutputValues()) {
      out.add(incidents.decode(r.value));
    }
    return out;
  }
}
