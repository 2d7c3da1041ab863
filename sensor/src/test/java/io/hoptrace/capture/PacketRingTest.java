package io.hoptrace.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** {@link PacketRing}: the newest packets of a hop in a bounded arena. */
class PacketRingTest {
  private static final long S = 1_000_000_000L;

  private record Added(long ts, byte[] data, int wire) {}

  private static Added add(PacketRing ring, long ts, int len, Random rnd) {
    byte[] data = new byte[len];
    rnd.nextBytes(data);
    // the packet sits inside a larger buffer, as a capture hands it over
    byte[] frame = new byte[len + 10];
    System.arraycopy(data, 0, frame, 7, len);
    ring.add(LinkType.ETHERNET, new UnsafeBuffer(frame), 7, len, len + 1000, ts);
    return new Added(ts, data, len + 1000);
  }

  private static int recordSize(int len) {
    return (20 + len + 7) & ~7;
  }

  /** The ring holds a suffix of what was added, in order, bytes and times intact. */
  private static List<Added> assertSuffix(PacketRing ring, List<Added> added) {
    List<PacketRing.Packet> kept = ring.snapshot();
    assertThat(kept).hasSize(ring.packets());
    List<Added> tail = added.subList(added.size() - kept.size(), added.size());
    for (int i = 0; i < kept.size(); i++) {
      PacketRing.Packet p = kept.get(i);
      assertThat(p.tsNanos()).isEqualTo(tail.get(i).ts());
      assertThat(p.data()).isEqualTo(tail.get(i).data());
      assertThat(p.wireLength()).isEqualTo(tail.get(i).wire());
      assertThat(p.linkType()).isEqualTo(LinkType.ETHERNET);
    }
    return tail;
  }

  @Test
  void keepsTheNewestPacketsThatFitItsBytes() {
    PacketRing ring = new PacketRing(4096, 60 * S);
    Random rnd = new Random(1);
    List<Added> added = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      added.add(add(ring, i * 1000L, 100, rnd));
    }
    List<Added> kept = assertSuffix(ring, added);
    // 120-byte records: 34 fit in 4096 bytes; one record's room may be lost at the arena's end
    assertThat(kept.size()).isBetween(33, 34);
    assertThat(ring.capacityBytes()).isEqualTo(4096);
  }

  @Test
  void forgetsPacketsOlderThanItsAgeBeforeTheNewest() {
    PacketRing ring = new PacketRing(1 << 16, 10 * S);
    Random rnd = new Random(2);
    List<Added> added = new ArrayList<>();
    for (int i = 0; i <= 30; i++) {
      added.add(add(ring, i * S, 60, rnd));
    }
    List<Added> kept = assertSuffix(ring, added);
    assertThat(kept).extracting(Added::ts).first().isEqualTo(20 * S);
    assertThat(kept).hasSize(11);
  }

  @Test
  void packetsOfEverySizeKeepTheRingASuffixFillingAtLeastHalfTheArena() {
    int capacity = 8192;
    PacketRing ring = new PacketRing(capacity, Long.MAX_VALUE);
    Random rnd = new Random(3);
    List<Added> added = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      added.add(add(ring, i, rnd.nextInt(i % 97 == 0 ? 3000 : 300), rnd));
      if (i % 37 == 0) {
        List<Added> kept = assertSuffix(ring, added);
        int used = kept.stream().mapToInt(a -> recordSize(a.data().length)).sum();
        assertThat(used).isLessThanOrEqualTo(capacity);
        assertThat(kept).last().isEqualTo(added.get(added.size() - 1));
        if (i > 1000) {
          assertThat(used)
              .as("bytes in use after %d packets", i)
              .isGreaterThan(capacity / 2 - 3100);
        }
      }
    }
  }

  @Test
  void aPacketLargerThanTheArenaIsCountedNotKept() {
    PacketRing ring = new PacketRing(256, S);
    Random rnd = new Random(4);
    List<Added> added = new ArrayList<>();
    added.add(add(ring, 1, 50, rnd));
    add(ring, 2, 300, rnd);
    assertThat(ring.tooLarge()).isEqualTo(1);
    assertSuffix(ring, added);
    assertThat(ring.packets()).isEqualTo(1);
    assertThatThrownBy(() -> new PacketRing(10, S)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PacketRing(1024, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void resizingKeepsTheNewestPacketsThatFitAndGoesOnFromThere() {
    PacketRing ring = new PacketRing(8192, 60 * S);
    Random rnd = new Random(3);
    List<Added> added = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      added.add(add(ring, i * 1000L, 20 + rnd.nextInt(200), rnd));
    }
    int before = ring.packets();

    ring.resize(2048);

    List<Added> kept = assertSuffix(ring, added);
    assertThat(ring.capacityBytes()).isEqualTo(2048);
    assertThat(kept.size()).isPositive().isLessThan(before);
    long bytes = kept.stream().mapToLong(a -> recordSize(a.data().length)).sum();
    assertThat(bytes).isLessThanOrEqualTo(2048);
    // the next older packet would not have fitted
    Added older = added.get(added.size() - kept.size() - 1);
    assertThat(bytes + recordSize(older.data().length)).isGreaterThan(2048);
    for (int i = 500; i < 1000; i++) {
      added.add(add(ring, i * 1000L, 20 + rnd.nextInt(200), rnd));
      assertSuffix(ring, added);
    }
    assertThat(ring.newestNanos()).isEqualTo(999_000L);
    assertThatThrownBy(() -> ring.resize(10)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aGrowingRingLosesNothingUntilItsLimitThenKeepsTheNewest() {
    PacketRing ring = new PacketRing(256, 16_384, Long.MAX_VALUE);
    Random rnd = new Random(5);
    List<Added> added = new ArrayList<>();
    List<Integer> capacities = new ArrayList<>();
    int bytes = 0;
    // records of 120 bytes: the arena doubles from 256 bytes while they fit in 16 KiB
    while (bytes + recordSize(100) <= 16_384) {
      added.add(add(ring, added.size(), 100, rnd));
      bytes += recordSize(100);
      assertThat(ring.packets()).as("nothing dropped below the limit").isEqualTo(added.size());
      if (capacities.isEmpty() || capacities.get(capacities.size() - 1) != ring.capacityBytes()) {
        capacities.add(ring.capacityBytes());
      }
    }
    assertSuffix(ring, added);
    assertThat(capacities).containsExactly(256, 512, 1024, 2048, 4096, 8192, 16_384);
    for (int i = 0; i < 500; i++) {
      added.add(add(ring, added.size(), 20 + rnd.nextInt(200), rnd));
      assertSuffix(ring, added);
    }
    assertThat(ring.capacityBytes()).isEqualTo(16_384);
    assertThat(ring.packets()).isLessThan(added.size());
    // a packet larger than the arena but within the limit makes it grow; beyond the limit: counted
    PacketRing small = new PacketRing(64, 4096, Long.MAX_VALUE);
    add(small, 1, 1000, rnd);
    assertThat(small.packets()).isEqualTo(1);
    assertThat(small.capacityBytes()).isEqualTo(recordSize(1000));
    add(small, 2, 5000, rnd);
    assertThat(small.tooLarge()).isEqualTo(1);
    // a lower limit shrinks the arena; a higher one lets it grow again
    ring.resize(4096);
    assertThat(ring.capacityBytes()).isEqualTo(4096);
    assertSuffix(ring, added);
    ring.resize(8192);
    assertThat(ring.capacityBytes()).isEqualTo(4096);
    assertThat(ring.limitBytes()).isEqualTo(8192);
    assertThatThrownBy(() -> new PacketRing(4096, 1024, S))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void quietPacketsOlderThanTheAgeLeaveRoomInsteadOfGrowingTheArena() {
    PacketRing ring = new PacketRing(512, 1 << 20, 10 * S);
    Random rnd = new Random(6);
    List<Added> added = new ArrayList<>();
    // a packet a second for ten minutes: at most 11 packets of 120 bytes are ever within 10 s
    for (int i = 0; i < 600; i++) {
      added.add(add(ring, i * S, 100, rnd));
    }
    assertSuffix(ring, added);
    assertThat(ring.packets()).isEqualTo(11);
    assertThat(ring.capacityBytes()).isEqualTo(2048);
  }
}
