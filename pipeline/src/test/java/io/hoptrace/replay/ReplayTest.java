package io.hoptrace.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.pipeline.DetectionHost;
import io.hoptrace.pipeline.PacketSink;
import io.hoptrace.reduce.ReducerConfig;
import io.hoptrace.reduce.SummaryMode;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketSummary;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The one replay of analyze and demo, against a host that records what it is given. */
class ReplayTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final long NOW_NANOS = Replay.nanos(InstantSource.fixed(NOW));

  /** Records the calls; its sink fails {@code failing} of the summaries. */
  static final class RecordingHost implements DetectionHost {
    final List<String> calls = new ArrayList<>();
    final List<PacketSummary> packets = new ArrayList<>();
    final List<String> keys = new ArrayList<>();
    final List<FlowHopCounters> counters = new ArrayList<>();
    final List<String> counterKeys = new ArrayList<>();
    long failing;

    @Override
    public void start() {
      calls.add("start");
    }

    @Override
    public void publishInventory(List<NodeInventory> inventories, Duration timeout) {
      calls.add("inventory " + inventories.size() + " @" + inventories.get(0).getTsNanos());
    }

    @Override
    public PacketSink newPacketSink() {
      return new PacketSink() {
        @Override
        public void publish(String key, PacketSummary summary) {
          packets.add(summary);
          keys.add(key);
        }

        @Override
        public void publishCounters(String key, FlowHopCounters c) {
          counters.add(c);
          counterKeys.add(key);
        }

        @Override
        public void flush() {}

        @Override
        public long failed() {
          return failing;
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public void endOfInput(Duration timeout) {
      calls.add("end of input after " + packets.size());
    }

    @Override
    public List<Alert> readAlerts() {
      return List.of();
    }

    @Override
    public List<FlowRecord> readFlows() {
      return List.of();
    }

    @Override
    public Watch watchAlerts(Consumer<Alert> onAlert) {
      return () -> {};
    }

    @Override
    public void close() {}
  }

  private static Replay replay(RecordingHost host) {
    return new Replay(
        host, DecoderConfig.defaults(), InstantSource.fixed(NOW), Duration.ofSeconds(1));
  }

  @Test
  void inventoryThenEveryPacketInCaptureTimeOrderThenEndOfInput() throws Exception {
    Manifest m = Recordings.manifest("healthy");
    RecordingHost host = new RecordingHost();
    Replay.Published p = replay(host).run(m, () -> false, msg -> {});
    int n = MergedCaptures.readAll(m.hops(), DecoderConfig.defaults()).size();
    assertThat(p.summaries()).isEqualTo(n);
    assertThat(host.calls)
        .containsExactly(
            "inventory " + m.nodes().size() + " @" + NOW_NANOS, "end of input after " + n);
    for (int i = 1; i < host.packets.size(); i++) {
      assertThat(host.packets.get(i).getTsNanos())
          .isGreaterThanOrEqualTo(host.packets.get(i - 1).getTsNanos());
    }
    // timestamps kept by default
    assertThat(host.packets.get(0).getTsNanos()).isLessThan(NOW_NANOS);
    assertThat(p.lastTsNanos()).isEqualTo(host.packets.get(n - 1).getTsNanos());
  }

  @Test
  void reducedModeSendsCountersUnderTheKeyOfTheirFlowsSummaries() throws Exception {
    Manifest m = Recordings.manifest("healthy");
    int n = MergedCaptures.readAll(m.hops(), DecoderConfig.defaults()).size();
    RecordingHost host = new RecordingHost();
    Replay.Published p =
        replay(host)
            .summaries(SummaryMode.REDUCED)
            .reducer(ReducerConfig.defaults().withFirstPackets(0))
            .run(m, () -> false, msg -> {});
    assertThat(p.summaries()).isEqualTo(n);
    assertThat(p.counters()).isPositive().isEqualTo(host.counters.size());
    assertThat(p.records()).isEqualTo(host.packets.size() + host.counters.size()).isLessThan(n);
    java.util.Map<String, java.util.Set<String>> keysOfFlow = new java.util.HashMap<>();
    for (int i = 0; i < host.packets.size(); i++) {
      keysOfFlow
          .computeIfAbsent(host.packets.get(i).getFlowKey(), k -> new java.util.HashSet<>())
          .add(host.keys.get(i));
    }
    for (int i = 0; i < host.counters.size(); i++) {
      FlowHopCounters c = host.counters.get(i);
      assertThat(keysOfFlow.get(c.getFlowKey()))
          .as("keys of %s's summaries", c.getFlowKey())
          .containsExactly(host.counterKeys.get(i));
    }
    assertThat(host.calls).last().isEqualTo("end of input after " + host.packets.size());
  }

  @Test
  void startAtMovesTheCaptureToNowOrLater() throws Exception {
    Manifest m = Recordings.manifest("healthy");
    RecordingHost host = new RecordingHost();
    replay(host).startAt(Long.MIN_VALUE).run(m, () -> false, msg -> {});
    assertThat(host.packets.get(0).getTsNanos()).isEqualTo(NOW_NANOS);

    RecordingHost later = new RecordingHost();
    long notBefore = NOW_NANOS + 5_000_000_000L;
    replay(later).startAt(notBefore).run(m, () -> false, msg -> {});
    assertThat(later.packets.get(0).getTsNanos()).isEqualTo(notBefore);
  }

  @Test
  void aSummaryThatCouldNotBePublishedFailsTheReplay() {
    RecordingHost host = new RecordingHost();
    host.failing = 3;
    assertThatThrownBy(
            () -> replay(host).run(Recordings.manifest("healthy"), () -> false, msg -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("3 packets-topic records could not be published");
    assertThat(host.calls).noneMatch(c -> c.startsWith("end of input"));
  }

  @Test
  void aStopEndsThePublishingButStillEndsTheInput() throws Exception {
    RecordingHost host = new RecordingHost();
    Replay.Published p = replay(host).run(Recordings.manifest("healthy"), () -> true, msg -> {});
    assertThat(p.stopped()).isTrue();
    assertThat(p.summaries()).isZero();
    assertThat(host.calls).last().isEqualTo("end of input after 0");
  }

  @Test
  void pacingIsASpeedOfZeroOrMore() {
    assertThat(Replay.Pacing.REAL_TIME.speed()).isEqualTo(1);
    assertThatThrownBy(() -> new Replay.Pacing(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Replay.Pacing(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
