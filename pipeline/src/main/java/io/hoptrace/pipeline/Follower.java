package io.hoptrace.pipeline;

import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@link TopicTail} on a daemon thread of its own from its position on, calling a consumer
 * per record as the job commits them, until closed.
 *
 * @param <V> the records
 */
public final class Follower<V> implements DetectionHost.Watch {
  private static final Logger LOG = LoggerFactory.getLogger(Follower.class);

  private final TopicTail<V> tail;
  private final Thread reader;

  private Follower(TopicTail<V> tail, Consumer<V> onRecord, String name) {
    this.tail = tail;
    this.reader =
        new Thread(
            () -> {
              try {
                while (true) {
                  for (var item : tail.poll(Duration.ofMillis(200))) {
                    onRecord.accept(item.value());
                  }
                }
              } catch (WakeupException | InterruptException e) {
                // stopping
              } catch (RuntimeException e) {
                LOG.warn("{} stopped: {}", name, e.toString());
              } finally {
                tail.close();
              }
            },
            name);
    reader.setDaemon(true);
  }

  /** Starts following {@code tail} (which the follower closes). */
  public static <V> Follower<V> start(TopicTail<V> tail, Consumer<V> onRecord, String name) {
    Follower<V> f = new Follower<>(tail, onRecord, name);
    f.reader.start();
    return f;
  }

  /** Stops the reading thread (waits up to 5 s for it). */
  @Override
  public void close() {
    tail.wakeup();
    try {
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
