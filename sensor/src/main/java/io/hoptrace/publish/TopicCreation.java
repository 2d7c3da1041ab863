package io.hoptrace.publish;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics a sensor writes or reads when they are missing (as {@code TopicSettings}
 * declares them) and waits until their partitions serve requests ({@link TopicReadiness}); what
 * cannot be created is logged, not thrown: the sensor goes on and its clients retry.
 */
public final class TopicCreation {
  private static final Logger LOG = LoggerFactory.getLogger(TopicCreation.class);

  private TopicCreation() {}

  /**
   * @param adminProperties the admin client's settings
   * @param wanted the topics, as declared by {@code TopicSettings}
   * @param timeoutMs how long creating them all may take
   */
  public static void ensure(
      Map<String, Object> adminProperties, List<NewTopic> wanted, long timeoutMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    Admin admin;
    try {
      admin = Admin.create(adminProperties);
    } catch (KafkaException e) {
      LOG.warn("cannot create topics: {}", e.toString());
      return;
    }
    try {
      var results = admin.createTopics(wanted).values();
      for (NewTopic topic : wanted) {
        String name = topic.name();
        long left = Math.max(1, deadline - System.nanoTime());
        try {
          results.get(name).get(left, TimeUnit.NANOSECONDS);
          int partitions = topic.numPartitions() < 1 ? 1 : topic.numPartitions();
          if (TopicReadiness.await(admin, name, partitions, deadline)) {
            LOG.info("created topic {} ({} partitions)", name, partitions);
          } else {
            LOG.warn("created topic {} but its partitions are not ready yet", name);
          }
        } catch (ExecutionException e) {
          if (e.getCause() instanceof TopicExistsException) {
            LOG.debug("topic {} exists", name);
          } else {
            LOG.warn("cannot create topic {}: {}", name, e.getCause().toString());
          }
        } catch (java.util.concurrent.TimeoutException e) {
          LOG.warn(
              "creating topic {} timed out after {} ms (is {} reachable?); going on without it",
              name,
              timeoutMs,
              adminProperties.get("bootstrap.servers"));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      admin.close(Duration.ofSeconds(1));
    }
  }
}
