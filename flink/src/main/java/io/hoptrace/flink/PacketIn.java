package io.hoptrace.flink;

/**
 * A record of the packets (or drops) topic inside the job: its routing key, the capture time and
 * the Avro single-object bytes (decoded once more by stage 1, which is cheaper than a second
 * serializer for the shuffle), or the end-of-input marker. A Flink POJO.
 */
public final class PacketIn {
  /** The Kafka record key (the routing key; "" when the record had none). */
  public String key;

  /** Capture time (ns), a counters record's last capture time; event time of the record. */
  public long tsNanos;

  /**
   * The PacketSummary or FlowHopCounters, Avro single-object encoded ({@link
   * io.hoptrace.schema.PacketsRecordCodec}); null for the end-of-input marker.
   */
  public byte[] value;

  /** Whether this is the end-of-input marker of its partition. */
  public boolean flush;

  /**
   * Whether {@link #value} is a KernelDrop of the drops topic (a kernel drop reason, keyed as the
   * flow's packets; {@link #tsNanos} is the end of its interval) rather than a packets record.
   */
  public boolean drop;

  public PacketIn() {}

  public PacketIn(String key, long tsNanos, byte[] value) {
    this.key = key;
    this.tsNanos = tsNanos;
    this.value = value;
  }

  /** The end-of-input marker. */
  public static PacketIn flushMarker() {
    PacketIn p = new PacketIn("", 0, null);
    p.flush = true;
    return p;
  }
}
