package io.hoptrace.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

class SchemaHistoryTest {

  @Test
  void theNewestHistoryVersionOfEachRecordIsTheCurrentSchema() {
    SchemaHistory.CURRENT.forEach(
        (name, current) -> {
          List<SchemaHistory.Version> versions = SchemaHistory.versions(name);
          assertThat(versions).as("history of %s", name).isNotEmpty();
          SchemaHistory.Version newest = versions.get(versions.size() - 1);
          assertThat(newest.fingerprint())
              .as(
                  "%s.avsc changed but io/hoptrace/schema/history/%s/v%d.avsc was not added:"
                      + " write the new schema (Schema.toString(true) of the generated class) there",
                  name, name, versions.size() + 1)
              .isEqualTo(SchemaNormalization.parsingFingerprint64(current));
        });
  }

  @Test
  void theCurrentReaderCanReadEveryHistoricalWriter() {
    for (SchemaHistory.Version version : SchemaHistory.all()) {
      Schema reader = SchemaHistory.CURRENT.get(version.name());
      assertThat(
              SchemaCompatibility.checkReaderWriterCompatibility(reader, version.schema())
                  .getType())
          .as("current %s reads v%d", version.name(), version.version())
          .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }
  }

  @Test
  void theStoreResolvesEveryHistoricalFingerprint() {
    var store = SchemaHistory.newStore();

    for (SchemaHistory.Version version : SchemaHistory.all()) {
      assertThat(store.findByFingerprint(version.fingerprint())).isEqualTo(version.schema());
    }
  }
}
