package io.hoptrace.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * Every schema version hoptrace ever wrote, so a reader resolves records from older (and, when it
 * ships them, newer) writers. Versions live on the class path as {@code
 * io/hoptrace/schema/history/<Name>/v1.avsc}, {@code v2.avsc}, ... numbered from 1 without gaps;
 * the highest version must equal the generated class's schema (a test checks it). Changing a {@code
 * .avsc} therefore means adding the next {@code vN.avsc} here.
 */
public final class SchemaHistory {

  /** The record types written to Kafka, each with its history folder. */
  public static final Map<String, Schema> CURRENT =
      Map.of(
          "PacketSummary", PacketSummary.getClassSchema(),
          "NodeInventory", NodeInventory.getClassSchema(),
          "FlowRecord", FlowRecord.getClassSchema(),
          "Alert", Alert.getClassSchema(),
          "Incident", Incident.getClassSchema(),
          "FlowHopCounters", FlowHopCounters.getClassSchema(),
          "KernelDrop", KernelDrop.getClassSchema(),
          "PcapRequest", PcapRequest.getClassSchema(),
          "PcapAnswer", PcapAnswer.getClassSchema());

  private static final String ROOT = "/io/hoptrace/schema/history/";
  private static final int MAX_VERSIONS = 1000;

  /** One historical schema: record name, version number (1-based) and the schema. */
  public record Version(String name, int version, Schema schema) {
    /** The CRC-64-AVRO fingerprint single-object encoding writes after C3 01. */
    public long fingerprint() {
      return SchemaNormalization.parsingFingerprint64(schema);
    }
  }

  private SchemaHistory() {}

  /** The versions of one record type, oldest first; empty when the type has no history folder. */
  public static List<Version> versions(String name) {
    List<Version> out = new ArrayList<>();
    for (int v = 1; v <= MAX_VERSIONS; v++) {
      String path = ROOT + name + "/v" + v + ".avsc";
      try (InputStream in = SchemaHistory.class.getResourceAsStream(path)) {
        if (in == null) {
          break;
        }
        out.add(new Version(name, v, new Schema.Parser().parse(in)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read schema history " + path, e);
      } catch (RuntimeException e) {
        throw new IllegalStateException("invalid schema history file " + path + ": " + e, e);
      }
    }
    return out;
  }

  /** Every historical version of every record type. */
  public static List<Version> all() {
    List<Version> out = new ArrayList<>();
    for (String name : CURRENT.keySet()) {
      out.addAll(versions(name));
    }
    return out;
  }

  /**
   * A new store holding every historical schema and the current ones. Callers may add more (e.g.
   * schemas fetched from elsewhere) without affecting other stores.
   */
  public static SchemaStore.Cache newStore() {
    SchemaStore.Cache store = new SchemaStore.Cache();
    for (Version v : all()) {
      store.addSchema(v.schema());
    }
    CURRENT.values().forEach(store::addSchema);
    return store;
  }

  /** The history versions whose fingerprint is {@code fingerprint}, for error messages. */
  static String describe(long fingerprint) {
    return Described.BY_FINGERPRINT.get(fingerprint);
  }

  /**
   * "Name vN" by fingerprint, read once: every undecodable record's message names its writer, and
   * parsing the history files for each such record kept AvroDecodeFuzzTest at ~90 inputs/s.
   */
  private static final class Described {
    static final Map<Long, String> BY_FINGERPRINT = load();

    private static Map<Long, String> load() {
      Map<Long, String> m = new HashMap<>();
      for (Version v : all()) {
        m.putIfAbsent(v.fingerprint(), v.name() + " v" + v.version());
      }
      return Map.copyOf(m);
    }
  }
}
