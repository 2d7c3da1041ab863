package io.hoptrace.flink;

import io.hoptrace.history.Dataset;
import io.hoptrace.history.Records;
import io.hoptrace.history.StoreFiles;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.HopStats;
import io.hoptrace.schema.InterfaceRole;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

/**
 * Benchmark (a main, not a test): the cost of the Flink store's part files against the embedded
 * writer's batch for the same final flow records (8 hops each, one hour), side by side in one run.
 * Flink: the two parts a checkpoint closes for them ({@code flows} and {@code flow_hops}: decode,
 * DuckDB staging, {@code COPY}, copy into the part's stream). Embedded: {@link StoreFiles#flush} of
 * one batch (the same staging and {@code COPY}, plus fsyncs and the commit record). Median of 5
 * runs after one warm-up, wall time.
 *
 * <p>{@code java -cp <flink test class path> io.hoptrace.flink.PartWriteBench [N ...]}
 */
public final class PartWriteBench {
  private PartWriteBench() {}

  public static void main(String[] args) throws Exception {
    int[] sizes =
        args.length == 0
            ? new int[] {1_000, 10_000, 100_000}
            : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    Path dir = Files.createTempDirectory("part-bench");
    AvroSerde<FlowRecord> serde = AvroSerde.flowRecord();
    System.out.printf("%10s %14s %14s %12s%n", "records", "flink parts", "embedded", "encoded MB");
    for (int n : sizes) {
      List<FlowRecord> flows = flows(n);
      List<byte[]> values = new ArrayList<>(n);
      long bytes = 0;
      for (FlowRecord f : flows) {
        byte[] v = serde.encode(f);
        values.add(v);
        bytes += v.length;
      }
      long[] flink = new long[6];
      long[] embedded = new long[6];
      for (int r = 0; r < 6; r++) {
        long t = System.nanoTime();
        for (Dataset d : List.of(Dataset.FLOWS, Dataset.FLOW_HOPS)) {
          Path file = dir.resolve(d.dir() + r + ".parquet");
          try (OutputStream os = Files.newOutputStream(file)) {
            BulkWriter<StoreRow> w = new ParquetParts().create(new Out(os));
            for (byte[] v : values) {
              w.addElement(new StoreRow(d.name(), 0, v));
            }
            w.finish();
          }
        }
        flink[r] = System.nanoTime() - t;
        t = System.nanoTime();
        try (StoreFiles s = StoreFiles.open(dir.resolve("embedded" + n + "-" + r))) {
          for (FlowRecord f : flows) {
            s.add(f);
          }
          s.flush();
        }
        embedded[r] = System.nanoTime() - t;
      }
      System.out.printf(
          "%,10d %11.1f ms %11.1f ms %12.1f%n",
          n, median(flink) / 1e6, median(embedded) / 1e6, bytes / 1e6);
    }
  }

  /** Median of the runs after the first (warm-up). */
  private static double median(long[] runs) {
    long[] m = Arrays.copyOfRange(runs, 1, runs.length);
    Arrays.sort(m);
    return m[m.length / 2];
  }

  private static List<FlowRecord> flows(int n) {
    SplittableRandom rnd = new SplittableRandom(42);
    long first = Records.T0;
    List<FlowRecord> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String src = "10.244." + rnd.nextInt(256) + "." + (2 + rnd.nextInt(250));
      String dst = "10.244." + rnd.nextInt(256) + "." + (2 + rnd.nextInt(250));
      List<HopStats> hops = new ArrayList<>();
      for (int h = 0; h < 8; h++) {
        String node = h < 4 ? "node-a" : "node-b";
        hops.add(
            HopStats.newBuilder()
                .setHop(node + "/if" + h)
                .setNode(node)
                .setRole(InterfaceRole.values()[h % 6])
                .setFwdPackets(10)
                .setFwdBytes(7000)
                .setRevPackets(10)
                .setRevBytes(9000)
                .build());
      }
      out.add(
          FlowRecord.newBuilder()
              .setConversationId("6|" + src + "|40000|" + dst + "|8080|" + i)
              .setTuples(
                  List.of(
                      FiveTuple.newBuilder()
                          .setSrc(src)
                          .setDst(dst)
                          .setProto(6)
                          .setSport(40000)
                          .setDport(8080)
                          .build()))
              .setHops(hops)
              .setFirstSeen(first + i * 1000L)
              .setLastSeen(first + i * 1000L + 1_000_000_000L)
              .setTcpState("ShADadFf")
              .setVerdict("OK")
              .setFinal$(true)
              .build());
    }
    return out;
  }

  /** A part's stream over a local file. */
  private static final class Out extends FSDataOutputStream {
    private final OutputStream os;
    private long pos;

    Out(OutputStream os) {
      this.os = os;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      os.write(b);
      pos++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      os.write(b, off, len);
      pos += len;
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void flush() throws java.io.IOException {
      os.flush();
    }

    @Override
    public void sync() {}

    @Override
    public void close() {}
  }
}
