package io.hoptrace.flink;

/** One output record of the job, for the Kafka sink: topic, key, value and timestamp (ms). */
public final class SinkRecord {
  public String topic;
  public String key;
  public byte[] value;
  public long timestamp;

  public SinkRecord() {}

  public SinkRecord(String topic, String key, byte[] value, long timestamp) {
    this.topic = topic;
    this.key = key;
    this.value = value;
    this.timestamp = timestamp;
  }
}
