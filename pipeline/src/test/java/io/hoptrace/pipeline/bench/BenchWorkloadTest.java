package io.hoptrace.pipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.detect.Detection;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.replay.MergedCaptures;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.PacketSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The detection benchmark's input is what it claims: healthy, new conversations per copy. */
class BenchWorkloadTest {
  private static List<MergedCaptures.Item> template;

  @BeforeAll
  static void readTemplate() throws Exception {
    template = BenchWorkload.healthyTemplate();
  }

  private static List<MergedCaptures.Item> all(BenchWorkload w) {
    List<MergedCaptures.Item> out = new ArrayList<>();
    while (w.hasNext()) {
      out.add(w.next());
    }
    return out;
  }

  @Test
  void producesWholeCopiesInCaptureTimeOrder() {
    BenchWorkload w = new BenchWorkload(template, 7, template.size() * 10L + 1);
    assertThat(w.copies()).isEqualTo(11); // rounded up: a copy cut short leaves requests open
    List<MergedCaptures.Item> items = all(w);
    assertThat(items).hasSize(template.size() * 11);
    for (int i = 1; i < items.size(); i++) {
      assertThat(items.get(i).summary().getTsNanos())
          .isGreaterThanOrEqualTo(items.get(i - 1).summary().getTsNanos());
    }
    // copies overlap in event time (about 7 in flight), they are not laid end to end
    long span =
        template.get(template.size() - 1).summary().getTsNanos()
            - template.get(0).summary().getTsNanos();
    assertThat(w.step()).isLessThan(span);
  }

  @Test
  void everyCopyIsItsOwnSetOfConversationsWithTheTemplatesShape() {
    Set<String> templateKeys = new HashSet<>();
    template.forEach(it -> templateKeys.add(it.key()));
    assertThat(new BenchWorkload(template, 3, 0).clientPorts())
        .containsExactlyInAnyOrder(40001, 40002, 40003, 4248, 4252);
    List<MergedCaptures.Item> items = all(new BenchWorkload(template, 3, template.size() * 6L));
    Map<String, Integer> copyOfKey = new HashMap<>();
    Set<Long> fingerprints = new HashSet<>();
    Map<Integer, Set<String>> keysOfCopy = new HashMap<>();
    // copies are interleaved in time; a summary's copy is told by its renumbered client port
    for (MergedCaptures.Item it : items) {
      PacketSummary s = it.summary();
      assertThat(it.key()).isEqualTo(s.getFlowKey());
      int port = Math.max(s.getSport(), s.getDport());
      int copy = clientCopy(s);
      keysOfCopy.computeIfAbsent(copy, c -> new HashSet<>()).add(it.key());
      Integer before = copyOfKey.putIfAbsent(it.key(), copy);
      assertThat(before == null || before == copy)
          .as("flow key %s (port %d) belongs to one copy only", it.key(), port)
          .isTrue();
      fingerprints.add(s.getFingerprint() ^ ((long) s.getNode().hashCode() << 1));
    }
    assertThat(keysOfCopy).hasSize(6);
    // same number of flow keys as the template (NAT-ed tuples renumbered alike), none shared
    keysOfCopy.values().forEach(k -> assertThat(k).hasSameSizeAs(templateKeys));
    Set<Long> templateFps = new HashSet<>();
    template.forEach(
        it ->
            templateFps.add(
                it.summary().getFingerprint() ^ ((long) it.summary().getNode().hashCode() << 1)));
    assertThat(fingerprints).hasSize(templateFps.size() * 6);
  }

  /** Which copy a summary belongs to: its renumbered client port, 5 ports per copy. */
  private static int clientCopy(PacketSummary s) {
    int p = -1;
    for (int port : new int[] {s.getSport(), s.getDport()}) {
      if (port >= 10_000 && port < 60_000) {
        p = port;
      }
    }
    assertThat(p).as("a renumbered client port in %s", s.getFlowKey()).isPositive();
    return (p - 10_000) / 5;
  }

  @Test
  void copiesOfTheHealthyRecordingRaiseNoAlertAndEndAsOneFlowEach() {
    List<Alert> alerts = new ArrayList<>();
    List<FlowRecord> flows = new ArrayList<>();
    var inventories =
        BenchWorkload.healthyManifest().inventories(template.get(0).summary().getTsNanos());
    Detection d =
        Detection.inMemory(DetectionConfig.defaults(), () -> inventories, flows::add, alerts::add);
    BenchWorkload w = new BenchWorkload(template, 5, template.size() * 12L);
    long next = Long.MIN_VALUE;
    while (w.hasNext()) {
      PacketSummary p = w.next().summary();
      d.onPacket(p);
      if (p.getTsNanos() >= next) {
        d.advanceTo(p.getTsNanos());
        next = p.getTsNanos() + 1_000_000_000L;
      }
    }
    d.endOfInput();
    assertThat(alerts).isEmpty();
    // the template is 5 conversations (truth.json), so 12 copies end as 60 conversations
    assertThat(flows.stream().filter(FlowRecord::getFinal$).count()).isEqualTo(60);
  }
}
