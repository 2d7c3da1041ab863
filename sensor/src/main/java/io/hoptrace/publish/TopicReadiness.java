package io.hoptrace.publish;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until the leaders of a just-created topic's partitions serve requests. Producing to a topic
 * in the moment its creation is being applied can silently lose an idempotent producer's first
 * batches: the first request fails with NOT_LEADER_OR_FOLLOWER, a later one is accepted as the
 * partition's first, and the retried first one then fails with OUT_OF_ORDER_SEQUENCE_NUMBER until
 * {@code delivery.timeout.ms} (KAFKA-15591/KAFKA-14359, observed with Kafka 4.2.2). A ListOffsets
 * answered by every partition's leader shows the broker has applied the creation.
 */
final class TopicReadiness {

  private TopicReadiness() {}

  /**
   * @return true when every partition answered before the deadline ({@link System#nanoTime()})
   */
  static boolean await(Admin admin, String topic, int partitions, long deadlineNanos)
      throws InterruptedException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      request.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    while (true) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        admin.listOffsets(request).all().get(left, TimeUnit.NANOSECONDS);
        return true;
      } catch (ExecutionException e) {
        Thread.sleep(50); // not yet known or not yet leader: ask again
      } catch (TimeoutException e) {
        return false;
      }
    }
  }
}
