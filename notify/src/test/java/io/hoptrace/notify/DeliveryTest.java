package io.hoptrace.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeliveryTest {
  @Test
  void failedAttemptsAreRetriedInOrderUntilTheyPass() throws Exception {
    List<Integer> got = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger failuresLeft = new AtomicInteger(3);
    try (Delivery<Integer> d =
        new Delivery<>(
            "test",
            100,
            Duration.ofMillis(5),
            Duration.ofMillis(20),
            i -> {
              if (i == 2 && failuresLeft.getAndDecrement() > 0) {
                throw new java.io.IOException("endpoint down");
              }
              got.add(i);
            })) {
      for (int i = 1; i <= 4; i++) {
        assertThat(d.offer(i)).isTrue();
      }
      assertThat(d.flush(Duration.ofSeconds(5))).isTrue();
      assertThat(got).containsExactly(1, 2, 3, 4);
      assertThat(d.failures()).isEqualTo(3);
      assertThat(d.delivered()).isEqualTo(4);
    }
  }

  @Test
  void rejectedItemsAreCountedNotRetried() throws Exception {
    List<Integer> got = Collections.synchronizedList(new ArrayList<>());
    try (Delivery<Integer> d =
        new Delivery<>(
            "test",
            100,
            Duration.ofMillis(5),
            Duration.ofMillis(20),
            i -> {
              if (i == 1) {
                throw new Delivery.Rejected("HTTP 400");
              }
              got.add(i);
            })) {
      d.offer(1);
      d.offer(2);
      assertThat(d.flush(Duration.ofSeconds(5))).isTrue();
      assertThat(got).containsExactly(2);
      assertThat(d.rejected()).isEqualTo(1);
      assertThat(d.failures()).isZero();
    }
  }

  @Test
  void aFullQueueDropsItsOldestAndNeverBlocksTheCaller() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> got = Collections.synchronizedList(new ArrayList<>());
    try (Delivery<Integer> d =
        new Delivery<>(
            "test",
            2,
            Duration.ofMillis(5),
            Duration.ofMillis(20),
            i -> {
              started.countDown();
              release.await(5, TimeUnit.SECONDS);
              got.add(i);
            })) {
      d.offer(0);
      assertThat(started.await(5, TimeUnit.SECONDS)).isTrue(); // 0 is in flight, blocked
      long t0 = System.nanoTime();
      for (int i = 1; i <= 5; i++) {
        d.offer(i);
      }
      assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(1).toNanos());
      release.countDown();
      assertThat(d.flush(Duration.ofSeconds(5))).isTrue();
      assertThat(got).containsExactly(0, 4, 5);
      assertThat(d.dropped()).isEqualTo(3);
    }
  }

  @Test
  void closeGivesUpOnAnEndpointThatStaysDown() {
    AtomicInteger attempts = new AtomicInteger();
    Delivery<Integer> d =
        new Delivery<>(
            "test",
            10,
            Duration.ofMillis(5),
            Duration.ofMillis(10),
            i -> {
              attempts.incrementAndGet();
              throw new java.io.IOException("down");
            });
    d.offer(1);
    long t0 = System.nanoTime();
    d.close(Duration.ofMillis(200));
    assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(4).toNanos());
    assertThat(d.delivered()).isZero();
    assertThat(attempts.get()).isGreaterThan(1);
    assertThat(d.offer(2)).isFalse();
  }
}
