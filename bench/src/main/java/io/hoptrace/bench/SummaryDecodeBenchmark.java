package io.hoptrace.bench;

import io.hoptrace.pipeline.bench.BenchWorkload;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.PacketSummary;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding one packet summary as the detection job reads it from the packets topic (Avro
 * single-object encoding), per Avro reading strategy: {@code serde} is the production path ({@link
 * AvroSerde#decode}: the generated classes' {@code customDecode} over a {@code ResolvingDecoder});
 * {@code fastReader} is Avro's {@code FastReaderBuilder} (custom coders off); {@code generic} is
 * Avro's plain schema-walking reader. Input: 4 096 summaries of the detection benchmark's workload
 * (copies of the bundled healthy recording), encoded once.
 *
 * <p>{@code java -jar bench/target/benchmarks.jar SummaryDecodeBenchmark -prof gc} from the
 * repository root.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xms1g",
      "-Xmx1g",
      "--add-exports",
      "java.base/jdk.internal.misc=ALL-UNNAMED",
      "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.hoptrace.schema"
    })
public class SummaryDecodeBenchmark {
  private static final int N = 4096;

  @Param({"serde", "fastReader", "generic"})
  public String reader;

  private final AvroSerde<PacketSummary> serde = AvroSerde.packetSummary();
  private byte[][] records;
  private SpecificDatumReader<PacketSummary> datumReader;
  private BinaryDecoder decoder;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    BenchWorkload w = new BenchWorkload(BenchWorkload.healthyTemplate(), 100, N);
    records = new byte[N][];
    for (int i = 0; i < N; i++) {
      records[i] = serde.encode(w.next().summary());
    }
    if (!reader.equals("serde")) {
      SpecificData model = new SpecificData(PacketSummary.class.getClassLoader());
      model.setCustomCoders(false);
      model.setFastReaderEnabled(reader.equals("fastReader"));
      datumReader =
          new SpecificDatumReader<>(
              PacketSummary.getClassSchema(), PacketSummary.getClassSchema(), model);
      // every strategy must read the same records
      for (byte[] r : records) {
        if (!decode(r).equals(serde.decode(r))) {
          throw new IllegalStateException(reader + " reads a record differently from the serde");
        }
      }
    }
  }

  private PacketSummary decode(byte[] r) throws java.io.IOException {
    decoder =
        DecoderFactory.get()
            .binaryDecoder(r, AvroSerde.HEADER_LENGTH, r.length - AvroSerde.HEADER_LENGTH, decoder);
    return datumReader.read(null, decoder);
  }

  @Benchmark
  public PacketSummary decode() throws java.io.IOException {
    byte[] r = records[next];
    next = (next + 1) & (N - 1);
    return reader.equals("serde") ? serde.decode(r) : decode(r);
  }
}
