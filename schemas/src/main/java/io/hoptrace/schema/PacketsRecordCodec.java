package io.hoptrace.schema;

import java.util.HashSet;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one definition of the {@code packets} topic's values: a {@link PacketSummary} (one packet on
 * one hop) or a {@link FlowHopCounters} (packets a sensor's reducer folded, docs/detection.md
 * "Reduced summaries"), both Avro single-object encoded and published under the same routing key. A
 * reader tells them apart by the writer schema's fingerprint in the record header: a fingerprint of
 * any shipped {@code FlowHopCounters} version ({@link SchemaHistory}) is a counters record, every
 * other one is read as a packet summary (so old summaries, and unknown fingerprints with the
 * summary codec's error message naming them, keep their handling). Engine-free; {@link
 * PacketsRecordSerde} adapts it to Kafka. Thread-safe.
 */
public final class PacketsRecordCodec {

  private static final PacketsRecordCodec SHARED = new PacketsRecordCodec();

  private final AvroCodec<PacketSummary> summaries = AvroCodec.packetSummary();
  private final AvroCodec<FlowHopCounters> counters = AvroCodec.of(FlowHopCounters.class);
  private final Set<Long> counterFingerprints = new HashSet<>();

  private PacketsRecordCodec() {
    counterFingerprints.add(counters.fingerprint());
    for (SchemaHistory.Version v : SchemaHistory.versions("FlowHopCounters")) {
      counterFingerprints.add(v.fingerprint());
    }
  }

  /** The shared codec (its state is read-only after construction). */
  public static PacketsRecordCodec get() {
    return SHARED;
  }

  /** Whether single-object encoded bytes hold a counters record (by writer fingerprint). */
  public boolean isCounters(byte[] data) {
    return data != null
        && data.length >= AvroCodec.HEADER_LENGTH
        && counterFingerprints.contains(AvroCodec.readFingerprint(data));
  }

  /**
   * Encodes a packets-topic record; {@code null} gives {@code null}.
   *
   * @throws AvroCodecException when the record is neither kind, or cannot be encoded
   */
  public byte[] encode(SpecificRecord record) {
    if (record == null) {
      return null;
    }
    if (record instanceof PacketSummary p) {
      return summaries.encode(p);
    }
    if (record instanceof FlowHopCounters k) {
      return counters.encode(k);
    }
    throw new AvroCodecException(
        "not a packets-topic record (PacketSummary or FlowHopCounters): "
            + record.getClass().getName(),
        null);
  }

  /**
   * Decodes either kind; {@code null} gives {@code null}.
   *
   * @param topic for error messages (may be null)
   * @throws AvroCodecException when the bytes are not a record of either kind, or (unknownSchema)
   *     the writer fingerprint is not known
   */
  public SpecificRecord decode(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    return isCounters(data) ? counters.decode(topic, data) : summaries.decode(topic, data);
  }

  /** The event time of a packets-topic record (ns): capture time, or a counters' last time. */
  public static long eventTimeNanos(SpecificRecord record) {
    if (record instanceof PacketSummary p) {
      return p.getTsNanos();
    }
    if (record instanceof FlowHopCounters k) {
      return k.getLastTsNanos();
    }
    return -1;
  }

  /** The record kind for counters and logs: {@code summary} or {@code counters}. */
  public static String kind(SpecificRecord record) {
    return record instanceof FlowHopCounters ? "counters" : "summary";
  }
}
