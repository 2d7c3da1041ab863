package io.hoptrace.flink;

import static io.hoptrace.history.Records.SECOND;
import static io.hoptrace.history.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.history.Dataset;
import io.hoptrace.history.Records;
import io.hoptrace.history.StoreFiles;
import io.hoptrace.history.StoreLayout;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.Incident;
import io.hoptrace.schema.Topics;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flow-store sink's pieces without a cluster: the job's records routed to the datasets and hour
 * partitions the embedded store writer uses, and each part file written with the columns {@link
 * Dataset} declares and the rows the embedded writer writes for the same records.
 */
class FlowStoreSinkTest {
  private static final Topics TOPICS = Topics.withPrefix("t.");

  @TempDir Path dir;

  private final FlowRecord finalFlow =
      Records.flow("c1", "10.244.0.2", "10.244.1.2", T0, "ONE_WAY");
  private final FlowRecord otherFinal =
      Records.flow("c2", "10.244.0.3", "10.244.0.9", T0 + SECOND, "HEALTHY");
  private final FlowRecord interim =
      Records.flow("c3", "10.244.0.2", "10.244.1.7", 6, 443, T0 + 2 * SECOND, "OPEN", false);
  private final Alert alert = Records.oneWay("a1", "c1", T0, AlertStatus.FIRING);
  private final Alert resolved = Records.oneWay("a1", "c1", T0, AlertStatus.RESOLVED);
  private final Incident incident =
      Records.incident("i1", T0, T0 + SECOND, AlertStatus.FIRING, List.of("a1"), 1);

  private List<SinkRecord> outputs() {
    AvroSerde<FlowRecord> flows = AvroSerde.flowRecord();
    AvroSerde<Alert> alerts = AvroSerde.alert();
    List<SinkRecord> out = new ArrayList<>();
    for (FlowRecord f : List.of(finalFlow, otherFinal, interim)) {
      out.add(new SinkRecord(TOPICS.flows(), f.getConversationId(), flows.encode(f), 0));
    }
    for (Alert a : List.of(alert, resolved)) {
      out.add(new SinkRecord(TOPICS.alerts(), a.getId(), alerts.encode(a), 0));
      out.add(new SinkRecord(TOPICS.alertsEcs(), a.getId(), new byte[] {'{', '}'}, 0));
    }
    out.add(
        new SinkRecord(
            TOPICS.incidents(), incident.getId(), AvroSerde.incident().encode(incident), 0));
    return out;
  }

  private static List<StoreRow> rows(List<SinkRecord> records) throws Exception {
    StoreRows mapper = new StoreRows(TOPICS);
    List<StoreRow> out = new ArrayList<>();
    Collector<StoreRow> c =
        new Collector<>() {
          @Override
          public void collect(StoreRow r) {
            out.add(r);
          }

          @Override
          public void close() {}
        };
    for (SinkRecord r : records) {
      mapper.flatMap(r, c);
    }
    return out;
  }

  @Test
  void recordsGoToTheDatasetsOfTheEmbeddedWriter() throws Exception {
    List<StoreRow> rows = rows(outputs());
    assertThat(rows.stream().map(r -> r.dataset + "@" + (r.firstSeen - T0) / SECOND))
        .containsExactly(
            "FLOWS@0",
            "FLOW_HOPS@0",
            "FLOWS@1",
            "FLOW_HOPS@1",
            "FLOW_UPDATES@2",
            "FLOW_HOPS@2",
            "ALERTS@0",
            "ALERTS@0",
            "INCIDENTS@0");
  }

  @Test
  void bucketsAreTheEmbeddedWritersPartitions() {
    StoreLayout layout = new StoreLayout(dir);
    long hour = 3_600 * SECOND;
    for (long t : new long[] {T0, 0, hour - 1, 23 * hour, 24 * hour, -1, T0 + 11 * hour}) {
      for (Dataset d : Dataset.values()) {
        String expected =
            layout.root().relativize(layout.partition(d, Math.floorDiv(t, hour))).toString();
        assertThat(HourBuckets.bucket(d, t)).as("%s at %d", d, t).isEqualTo(expected);
      }
    }
    assertThat(HourBuckets.bucket(Dataset.FLOWS, T0)).isEqualTo("flows/date=2026-12-04/hour=13");
  }

  @Test
  void partFilesHaveTheColumnsAndRowsOfTheEmbeddedWriter() throws Exception {
    List<StoreRow> rows = rows(outputs());
    Path embedded = dir.resolve("embedded");
    try (StoreFiles files = StoreFiles.open(embedded)) {
      for (FlowRecord f : List.of(finalFlow, otherFinal, interim)) {
        files.add(f);
      }
      files.add(alert);
      files.add(resolved);
      files.add(incident);
      files.flush();
    }
    StoreLayout layout = new StoreLayout(embedded);
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
      for (Dataset d : Dataset.values()) {
        Path part = dir.resolve(d.dir() + ".parquet");
        BulkWriter<StoreRow> w = new ParquetParts().create(new Bytes(part));
        rows.stream().filter(r -> r.dataset.equals(d.name())).forEach(r -> add(w, r));
        w.finish();
        assertThat(describe(db, part.toString()))
            .as(d.dir())
            .containsExactlyElementsOf(
                d.columns().stream().map(c -> c.name() + " " + c.type()).toList());
        List<String> ours = text(db, "'" + part + "'");
        assertThat(ours).as(d.dir()).isNotEmpty();
        assertThat(ours).as(d.dir()).isEqualTo(text(db, "'" + layout.glob(d) + "'"));
      }
      assertThat(text(db, "'" + dir.resolve("flows.parquet") + "'"))
          .as("sorted by destination as the embedded writer sorts")
          .first()
          .asString()
          .contains("10.244.0.9");
    }
  }

  @Test
  void aPartHoldsOneDataset() throws Exception {
    BulkWriter<StoreRow> w = new ParquetParts().create(new Bytes(dir.resolve("x")));
    w.addElement(new StoreRow(Dataset.ALERTS.name(), T0, new byte[0]));
    assertThatThrownBy(() -> w.addElement(new StoreRow(Dataset.FLOWS.name(), T0, new byte[0])))
        .hasMessageContaining("a flows row in a part file of alerts");
  }

  private static void add(BulkWriter<StoreRow> w, StoreRow r) {
    try {
      w.addElement(r);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> describe(Connection db, String file) throws Exception {
    List<String> out = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
      while (r.next()) {
        out.add(r.getString(1) + " " + r.getString(2));
      }
    }
    return out;
  }

  /** Every row of the files as text, in file order. */
  private static List<String> text(Connection db, String files) throws Exception {
    List<String> out = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT t::VARCHAR FROM read_parquet(" + files + ", hive_partitioning=false) t")) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }

  /** A part's output stream: bytes to a local file when closed. */
  private static final class Bytes extends FSDataOutputStream {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Path file;

    Bytes(Path file) {
      this.file = file;
    }

    @Override
    public void write(int b) {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      out.write(b, off, len);
    }

    @Override
    public long getPos() {
      return out.size();
    }

    @Override
    public void flush() {
      try {
        Files.write(file, out.toByteArray());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public void sync() {}

    @Override
    public void close() {}
  }
}
