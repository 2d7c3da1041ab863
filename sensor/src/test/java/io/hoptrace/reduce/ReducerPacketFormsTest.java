package io.hoptrace.reduce;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.capture.CaptureFileReader;
import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.LinkType;
import io.hoptrace.decode.DecodedPacket;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.decode.PacketDecoder;
import io.hoptrace.decode.SummaryMapper;
import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.synth.MixedCaptureGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two {@link ReducerPacket} forms give the same records: every packet decoded once, offered to
 * one {@link ReducingSink} as a summary built first ({@link SummaryPacket}, what replays do) and to
 * another as the decoder's flyweight ({@link DecodedPacketView}, what a live sensor does, building
 * a summary only for a packet kept); the published (key, record) sequences must be equal, record by
 * record, in reduced mode under several settings and in full mode.
 */
class ReducerPacketFormsTest {
  private static final HopContext[] HOPS = {
    new HopContext("node-a", "pod-a1", "eth0", InterfaceRole.POD),
    new HopContext("node-a", null, "cni0", InterfaceRole.BRIDGE),
    new HopContext("node-a", null, "ens33", InterfaceRole.UPLINK),
  };

  /** One captured frame. */
  record Frame(HopContext hop, int linkType, byte[] bytes, int wire, long ts) {}

  /** What a sink was asked to publish. */
  record Published(String key, Object record) {}

  static List<ReducerConfig> configs() {
    ReducerConfig d = ReducerConfig.defaults();
    return List.of(
        d,
        d.withMaxFlows(64), // evictions
        d.withFirstPackets(1).withSampleRate(0.1),
        new ReducerConfig(2, 0.0, 20_000_000L, 1024, 50_000_000L, 5_000_000L, 1_000_000L));
  }

  @ParameterizedTest
  @MethodSource("configs")
  void theMixGivesTheSameRecordsThroughBothForms(ReducerConfig cfg) throws IOException {
    List<Frame> frames = mix(60_000);
    List<Published> fromSummaries = run(frames, SummaryMode.REDUCED, cfg, false);
    List<Published> fromFlyweights = run(frames, SummaryMode.REDUCED, cfg, true);
    assertThat(fromSummaries.size()).isGreaterThan(1000).isLessThan(frames.size());
    if (cfg.maxFlows() > 64) { // with 64 entries the mix's flows are evicted before they fold
      assertThat(fromSummaries.stream().filter(p -> p.record() instanceof FlowHopCounters))
          .isNotEmpty();
    }
    assertSame(fromFlyweights, fromSummaries);
  }

  @Test
  void fullModeGivesTheSameSummariesAndKeys() throws IOException {
    List<Frame> frames = mix(20_000);
    List<Published> a = run(frames, SummaryMode.FULL, ReducerConfig.defaults(), false);
    List<Published> b = run(frames, SummaryMode.FULL, ReducerConfig.defaults(), true);
    assertThat(a).hasSize(frames.size());
    assertSame(b, a);
  }

  @Test
  void everyConformanceCaptureGivesTheSameRecordsThroughBothForms() throws IOException {
    Path root = Paths.get("src/test/resources/decode/captures");
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files =
          s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
              .sorted()
              .toList();
    }
    assertThat(files).hasSizeGreaterThan(20);
    int compared = 0;
    for (Path f : files) {
      List<Frame> frames = read(f);
      if (frames == null) {
        continue; // a capture the reader refuses as a whole (its own tests say why)
      }
      for (SummaryMode mode : SummaryMode.values()) {
        ReducerConfig cfg = ReducerConfig.defaults().withFirstPackets(1);
        assertSame(run(frames, mode, cfg, true), run(frames, mode, cfg, false));
      }
      compared += frames.size();
    }
    assertThat(compared).isGreaterThan(300);
  }

  private static void assertSame(List<Published> actual, List<Published> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i))
          .as("record %d of %d", i, expected.size())
          .isEqualTo(expected.get(i));
    }
  }

  private static List<Published> run(
      List<Frame> frames, SummaryMode mode, ReducerConfig cfg, boolean flyweight) {
    List<Published> out = new ArrayList<>();
    RecordSink sink =
        new RecordSink() {
          @Override
          public void summary(String key, PacketSummary summary) {
            out.add(new Published(key, summary));
          }

          @Override
          public void counters(String key, FlowHopCounters counters) {
            out.add(new Published(key, counters));
          }
        };
    ReducingSink r = new ReducingSink(mode, cfg, (n, p, i) -> 1500, k -> k, sink);
    PacketDecoder decoder = new PacketDecoder(DecoderConfig.defaults());
    DecodedPacket packet = new DecodedPacket();
    DecodedPacketView view = new DecodedPacketView();
    UnsafeBuffer buf = new UnsafeBuffer(new byte[0]);
    for (Frame f : frames) {
      buf.wrap(f.bytes());
      decoder.decode(f.linkType(), buf, 0, f.bytes().length, f.wire(), packet);
      if (flyweight) {
        r.offer(view.wrap(f.hop(), f.ts(), f.bytes().length, f.wire(), packet));
      } else {
        PacketSummary s = SummaryMapper.toAvro(f.hop(), f.ts(), f.bytes().length, f.wire(), packet);
        r.offer(SummaryMapper.partitionKey(packet, s), s);
      }
    }
    r.finish();
    return out;
  }

  /** {@code n} frames of the default mix, dealt to three hops in turn (some twice: duplicates). */
  private static List<Frame> mix(int n) throws IOException {
    MixedCaptureGenerator g = new MixedCaptureGenerator(7);
    List<Frame> out = new ArrayList<>();
    int[] i = {0};
    g.generate(
        n,
        (ts, frame) -> {
          int k = i[0]++;
          HopContext hop = HOPS[k % HOPS.length];
          out.add(new Frame(hop, LinkType.ETHERNET, frame, frame.length, ts));
          if (k % 97 == 0) {
            out.add(new Frame(hop, LinkType.ETHERNET, frame, frame.length, ts + 1000));
          }
        });
    return out;
  }

  private static List<Frame> read(Path file) {
    HopContext hop = new HopContext("node-a", null, "cap0", InterfaceRole.UPLINK);
    List<Frame> out = new ArrayList<>();
    try (CaptureFileReader reader = CaptureFileReader.open(file, hop)) {
      reader.read(
          (h, linkType, buffer, offset, captured, wire, ts) -> {
            byte[] b = new byte[captured];
            buffer.getBytes(offset, b);
            out.add(new Frame(h, linkType, b, wire, ts));
          });
    } catch (io.hoptrace.capture.CaptureFileException e) {
      return null;
    }
    return out;
  }
}
