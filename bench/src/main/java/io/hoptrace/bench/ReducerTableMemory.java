package io.hoptrace.bench;

import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.LinkType;
import io.hoptrace.decode.DecodedPacket;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.decode.PacketDecoder;
import io.hoptrace.reduce.DecodedPacketView;
import io.hoptrace.reduce.RecordSink;
import io.hoptrace.reduce.ReducerConfig;
import io.hoptrace.reduce.ReducingSink;
import io.hoptrace.reduce.SummaryMode;
import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.synth.PacketBuilder;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What the sensor's flow table holds per entry: {@code FLOWS} distinct TCP flows (one data segment
 * each, 10.0.0.0/8 clients to one server) offered to a reducer as a live capture thread does
 * ({@link DecodedPacketView}), table bound {@code FLOWS}, all flows still in it; heap after a full
 * GC against the heap before, per entry. The packets' summaries are dropped as they are published.
 *
 * <pre>java -Xmx2g -cp bench/target/benchmarks.jar io.hoptrace.bench.ReducerTableMemory [FLOWS]
 * </pre>
 */
public final class ReducerTableMemory {
  private ReducerTableMemory() {}

  public static void main(String[] args) {
    int flows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    HopContext hop = new HopContext("bench", null, "ens33", InterfaceRole.UPLINK);
    long[] records = {0};
    RecordSink sink =
        new RecordSink() {
          @Override
          public void summary(String key, PacketSummary s) {
            records[0]++;
          }

          @Override
          public void counters(String key, FlowHopCounters c) {
            records[0]++;
          }
        };
    long before = heapAfterGc();
    ReducingSink reducer =
        new ReducingSink(
            SummaryMode.REDUCED,
            ReducerConfig.defaults().withMaxFlows(flows),
            (n, p, i) -> 1500,
            k -> k,
            sink);
    PacketDecoder decoder = new PacketDecoder(DecoderConfig.defaults());
    DecodedPacket packet = new DecodedPacket();
    DecodedPacketView view = new DecodedPacketView();
    UnsafeBuffer buf = new UnsafeBuffer(new byte[0]);
    byte[] payload = new byte[100];
    long ts = 1_735_689_600_000_000_000L;
    for (int i = 0; i < flows; i++) {
      int client = 0x0A000000 | (i >>> 4); // 10.x.y.z
      int port = 20000 + (i & 15);
      byte[] tcp = PacketBuilder.tcp(port, 8080, 1000, 1, 0x18, 502, new byte[0], payload);
      byte[] f =
          PacketBuilder.ethernetIp(
              2, 1, PacketBuilder.ipv4(client, 0x0AF40102, 6, 64, i & 0xFFFF, true, tcp));
      buf.wrap(f);
      decoder.decode(LinkType.ETHERNET, buf, 0, f.length, f.length, packet);
      ts += 1_000; // 1 M flows in 1 s: none idle, none evicted
      reducer.offer(view.wrap(hop, ts, f.length, f.length, packet));
    }
    long after = heapAfterGc();
    System.out.printf(
        "%d flows in the table (%d evicted), %d records published: heap %+.1f MB, %.0f bytes per"
            + " entry%n",
        reducer.stats().flows(),
        reducer.stats().evictions(),
        records[0],
        (after - before) / 1e6,
        (double) (after - before) / flows);
    if (reducer.stats().flows() < 0) {
      System.out.println(reducer); // keep the reducer reachable until after the measurement
    }
  }

  private static long heapAfterGc() {
    MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return mx.getHeapMemoryUsage().getUsed();
  }
}
