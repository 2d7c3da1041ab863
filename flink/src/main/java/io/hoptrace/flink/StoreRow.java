package io.hoptrace.flink;

/**
 * One record on its way into the flow store ({@link FlowStoreSink}): the store dataset it gives
 * rows to ({@link io.hoptrace.history.Dataset} name), the first_seen (ns since the epoch) that
 * picks its hour partition, and the record as the job encodes it for Kafka (Avro, single-object). A
 * flow record comes twice: for {@code flows} (or {@code flow_updates}) and for {@code flow_hops}.
 */
public final class StoreRow {
  public String dataset;
  public long firstSeen;
  public byte[] value;

  public StoreRow() {}

  public StoreRow(String dataset, long firstSeen, byte[] value) {
    this.dataset = dataset;
    this.firstSeen = firstSeen;
    this.value = value;
  }
}
