package io.hoptrace.flink;

import io.hoptrace.history.Dataset;
import io.hoptrace.history.DatasetFile;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.Incident;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

/**
 * The flow store's Parquet part files for the {@code FileSink} ({@link FlowStoreSink}): each part
 * (one dataset and hour, between two checkpoints) is written by {@link DatasetFile}, exactly as the
 * embedded store writer writes its files, so one query layer reads both.
 *
 * <p>A part keeps its records as the job encoded them (Avro bytes, on the heap: a checkpoint
 * interval's records of one bucket) and only at {@link BulkWriter#finish()} — the part rolls on
 * every checkpoint — stages them in an in-memory DuckDB, writes the Parquet file to a local
 * temporary file and copies it into the part's stream (on any Flink file system). Nothing native is
 * held between checkpoints, so a part the sink discards (a failure) leaves nothing to close.
 */
final class ParquetParts implements BulkWriter.Factory<StoreRow> {
  private static final long serialVersionUID = 1L;

  @Override
  public BulkWriter<StoreRow> create(FSDataOutputStream out) {
    return new Part(out);
  }

  /** One part file. */
  static final class Part implements BulkWriter<StoreRow> {
    private final FSDataOutputStream out;
    private final List<byte[]> values = new ArrayList<>();
    private Dataset dataset;

    Part(FSDataOutputStream out) {
      this.out = out;
    }

    @Override
    public void addElement(StoreRow row) {
      Dataset d = Dataset.valueOf(row.dataset);
      if (dataset == null) {
        dataset = d;
      } else if (d != dataset) {
        throw new IllegalStateException(
            "a " + d.dir() + " row in a part file of " + dataset.dir() + " (bucket assigner)");
      }
      values.add(row.value);
    }

    @Override
    public void flush() {
      // the whole part is written at finish: Parquet's footer needs every row group first
    }

    @Override
    public void finish() throws IOException {
      if (dataset == null) {
        return;
      }
      Path dir = Files.createTempDirectory("hoptrace-part");
      Path file = dir.resolve("part.parquet");
      try {
        write(dataset, values, file);
        Files.copy(file, out);
        out.flush();
      } finally {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
      }
      values.clear();
    }
  }

  /** Writes encoded records of one dataset as one Parquet file at {@code file}. */
  static void write(Dataset d, List<byte[]> values, Path file) throws IOException {
    try (DatasetFile f = new DatasetFile(d)) {
      switch (d) {
        case FLOWS, FLOW_UPDATES, FLOW_HOPS -> {
          AvroSerde<FlowRecord> serde = AvroSerde.flowRecord();
          for (byte[] v : values) {
            f.add(serde.decode(v));
          }
        }
        case ALERTS -> {
          AvroSerde<Alert> serde = AvroSerde.alert();
          for (byte[] v : values) {
            f.add(serde.decode(v));
          }
        }
        case INCIDENTS -> {
          AvroSerde<Incident> serde = AvroSerde.incident();
          for (byte[] v : values) {
            f.add(serde.decode(v));
          }
        }
      }
      f.write(file);
    } catch (SQLException e) {
      throw new IOException("writing a " + d.dir() + " part: " + e.getMessage(), e);
    }
  }
}
