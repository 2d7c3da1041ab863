package io.hoptrace.flink;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * What the Flink job has done, as Kafka sees it: the offsets its sources committed at completed
 * checkpoints, and whether its sink's transactions are all committed.
 */
final class KafkaProgress {
  private final Admin admin;

  KafkaProgress(Admin admin) {
    this.admin = admin;
  }

  /** The end offsets of {@code topic}'s partitions. */
  Map<TopicPartition, Long> ends(String topic) {
    return latest(List.of(topic), IsolationLevel.READ_COMMITTED);
  }

  /** The number of partitions of {@code topic}. */
  int partitions(String topic) {
    return ends(topic).size();
  }

  /**
   * What group {@code groupId} has yet to commit up to {@code ends} ("" when its committed offsets
   * reached them on every partition). Sources commit at a completed checkpoint, so "" means a
   * checkpoint covered every record before those offsets: every stage has processed them.
   */
  String uncommitted(String groupId, Map<TopicPartition, Long> ends) {
    Map<TopicPartition, OffsetAndMetadata> committed =
        get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
    StringBuilder lag = new StringBuilder();
    ends.forEach(
        (tp, end) -> {
          OffsetAndMetadata c = committed.get(tp);
          long at = c == null ? 0 : c.offset();
          if (at < end) {
            lag.append(tp).append(" at ").append(at).append(" of ").append(end).append("; ");
          }
        });
    return lag.toString();
  }

  /**
   * Partitions of {@code topics} with a transaction still open ("" when none): an exactly-once
   * sink's records are readable ({@code read_committed}) only once their checkpoint's transaction
   * is committed, which happens after the checkpoint completes.
   */
  String openTransactions(List<String> topics) {
    Map<TopicPartition, Long> stable = latest(topics, IsolationLevel.READ_COMMITTED);
    Map<TopicPartition, Long> end = latest(topics, IsolationLevel.READ_UNCOMMITTED);
    StringBuilder open = new StringBuilder();
    end.forEach(
        (tp, e) -> {
          if (!e.equals(stable.get(tp))) {
            open.append(tp).append(" stable at ").append(stable.get(tp)).append(" of ").append(e);
            open.append("; ");
          }
        });
    return open.toString();
  }

  private Map<TopicPartition, Long> latest(List<String> topics, IsolationLevel level) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    get(admin.describeTopics(topics).allTopicNames())
        .values()
        .forEach(
            d ->
                d.partitions()
                    .forEach(
                        p ->
                            request.put(
                                new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
    Map<TopicPartition, Long> out = new HashMap<>();
    get(admin.listOffsets(request, new ListOffsetsOptions(level)).all())
        .forEach((tp, r) -> out.put(tp, r.offset()));
    return out;
  }

  private static <T> T get(org.apache.kafka.common.KafkaFuture<T> f) {
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read offsets: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
