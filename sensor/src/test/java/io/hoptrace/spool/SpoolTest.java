package io.hoptrace.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

  @TempDir Path dir;

  private final AtomicLong clock = new AtomicLong(1_000_000);

  private Spool open(long maxBytes, long segmentBytes) {
    return Spool.open(dir, maxBytes, segmentBytes, clock::get);
  }

  private static byte[] value(int i) {
    return ("value-" + i + "-" + "x".repeat(40)).getBytes(StandardCharsets.UTF_8);
  }

  /** Reads everything from the read position on, in batches of {@code n}. */
  private static List<Spool.Entry> readAll(Spool spool, int n) {
    List<Spool.Entry> out = new ArrayList<>();
    for (Spool.Batch b = spool.read(n, Long.MAX_VALUE); !b.isEmpty(); b = spool.read(n, 1 << 20)) {
      out.addAll(b.entries());
    }
    return out;
  }

  private static List<String> keys(List<Spool.Entry> entries) {
    return entries.stream().map(Spool.Entry::key).toList();
  }

  private List<Path> segments() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(Spool.SUFFIX)).sorted().toList();
    }
  }

  @Test
  void recordsComeBackInOrderWithKindKeyAndValueAcrossSegments() {
    try (Spool spool = open(1 << 20, 4096)) {
      for (int i = 0; i < 500; i++) {
        assertThat(spool.append((byte) (i % 4), i % 7 == 0 ? null : "k" + i, value(i))).isTrue();
      }
      List<Spool.Entry> got = readAll(spool, 37);

      assertThat(got).hasSize(500);
      for (int i = 0; i < 500; i++) {
        assertThat(got.get(i).kind()).isEqualTo((byte) (i % 4));
        assertThat(got.get(i).key()).isEqualTo(i % 7 == 0 ? null : "k" + i);
        assertThat(got.get(i).value()).isEqualTo(value(i));
      }
      assertThat(spool.records()).as("read is not sent").isEqualTo(500);
      assertThat(spool.dropped()).isZero();
    }
  }

  @Test
  void pastTheBoundTheNewestAreDroppedAndCountedAndSpaceComesBackWithCommits() throws Exception {
    long max = Spool.MIN_MAX_BYTES;
    try (Spool spool = open(max, 8192)) {
      int total = 2000;
      int accepted = 0;
      for (int i = 0; i < total; i++) {
        if (spool.append((byte) 0, "k" + i, value(i))) {
          accepted++;
        }
      }
      int size = Spool.HEADER + Spool.MIN_PAYLOAD + ("k" + 1000).length() + value(1000).length;

      assertThat(accepted + spool.dropped()).isEqualTo(total);
      assertThat(spool.dropped()).isGreaterThan(0);
      assertThat(spool.bytes()).isLessThanOrEqualTo(max).isGreaterThan(max - 2L * size);
      assertThat(spool.records()).isEqualTo(accepted);
      // what was kept is the oldest, unbroken: k0..k(accepted-1)
      Spool.Batch first = spool.read(100, Long.MAX_VALUE);
      List<Spool.Entry> rest = readAll(spool, 1000);
      List<String> kept = new ArrayList<>(keys(first.entries()));
      kept.addAll(keys(rest));
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < accepted; i++) {
        expected.add("k" + i);
      }
      assertThat(kept).isEqualTo(expected);

      // 100 sent: room for about 100 more, and the dropped count stays
      long droppedBefore = spool.dropped();
      spool.commit(first.end());
      assertThat(spool.records()).isEqualTo(accepted - 100);
      int again = 0;
      while (spool.append((byte) 0, "n" + again, value(again))) {
        again++;
      }
      assertThat(again).isBetween(95, 105);
      assertThat(spool.dropped()).isEqualTo(droppedBefore + 1);
    }
  }

  @Test
  void whatWasNotCommittedIsReadAgainAfterARestartAndSentSegmentsAreDeleted() throws Exception {
    Spool.Position after150;
    try (Spool spool = open(1 << 20, 4096)) {
      for (int i = 0; i < 300; i++) {
        spool.append((byte) 1, "k" + i, value(i));
      }
      Spool.Batch b = spool.read(150, Long.MAX_VALUE);
      after150 = b.end();
      spool.read(100, Long.MAX_VALUE); // read but not committed: must come again
      int before = segments().size();
      spool.commit(after150);
      assertThat(segments().size()).as("sent segments deleted").isLessThan(before);
    }
    try (Spool spool = open(1 << 20, 4096)) {
      assertThat(spool.records()).isEqualTo(150);
      assertThat(spool.committed()).isEqualTo(after150);
      spool.append((byte) 1, "k300", value(300));
      List<String> got = keys(readAll(spool, 64));
      assertThat(got).hasSize(151);
      assertThat(got.get(0)).isEqualTo("k150");
      assertThat(got.get(150)).isEqualTo("k300");
      assertThat(spool.torn()).isZero();
    }
  }

  @Test
  void aTornLastRecordIsCutAwayAndCountedAndTheRestIsKept() throws Exception {
    try (Spool spool = open(1 << 20, 1 << 20)) {
      for (int i = 0; i < 10; i++) {
        spool.append((byte) 0, "k" + i, value(i));
      }
    }
    Path seg = segments().get(0);
    long size = Files.size(seg);
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.setLength(size - 3); // the crash came in the middle of the last record
    }
    try (Spool spool = open(1 << 20, 1 << 20)) {
      assertThat(spool.torn()).isEqualTo(1);
      assertThat(spool.records()).isEqualTo(9);
      spool.append((byte) 0, "k10", value(10));
      assertThat(keys(readAll(spool, 100)))
          .containsExactly("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k10");
    }
  }

  @Test
  void aLastRecordWhoseChecksumFailsIsCountedAsTorn() throws Exception {
    try (Spool spool = open(1 << 20, 1 << 20)) {
      for (int i = 0; i < 5; i++) {
        spool.append((byte) 0, "k" + i, value(i));
      }
    }
    Path seg = segments().get(0);
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.seek(f.length() - 1);
      int b = f.read();
      f.seek(f.length() - 1);
      f.write(b ^ 0xff); // the page with the record's end never reached the disk
    }
    try (Spool spool = open(1 << 20, 1 << 20)) {
      assertThat(spool.torn()).isEqualTo(1);
      assertThat(keys(readAll(spool, 100))).containsExactly("k0", "k1", "k2", "k3");
    }
  }

  @Test
  void rewindReadsAFailedBatchAgainButNeverBeforeTheCommittedPosition() {
    try (Spool spool = open(1 << 20, 2048)) {
      for (int i = 0; i < 100; i++) {
        spool.append((byte) 0, "k" + i, value(i));
      }
      Spool.Batch b = spool.read(30, Long.MAX_VALUE);
      spool.rewind(b.start());
      assertThat(keys(spool.read(1, Long.MAX_VALUE).entries())).containsExactly("k0");

      spool.commit(spool.read(72, Long.MAX_VALUE).end());
      spool.read(10, Long.MAX_VALUE);
      spool.rewind(b.start());
      assertThat(keys(spool.read(2, Long.MAX_VALUE).entries())).containsExactly("k73", "k74");
    }
  }

  @Test
  void theOldestWaitingRecordsAgeFollowsCommits() {
    try (Spool spool = open(1 << 20, 1 << 20)) {
      assertThat(spool.oldestAgeMillis()).isZero();
      spool.append((byte) 0, "a", value(0));
      clock.addAndGet(5_000);
      spool.append((byte) 0, "b", value(1));
      clock.addAndGet(2_000);
      assertThat(spool.oldestAgeMillis()).isEqualTo(7_000);

      spool.commit(spool.read(1, Long.MAX_VALUE).end());
      assertThat(spool.oldestAgeMillis()).isEqualTo(2_000);
      spool.commit(spool.read(1, Long.MAX_VALUE).end());
      assertThat(spool.oldestAgeMillis()).isZero();
      assertThat(spool.bytes()).isZero();
    }
  }

  @Test
  void oneDirectoryOneSensor() {
    try (Spool spool = open(1 << 20, 1 << 20)) {
      assertThatThrownBy(() -> open(1 << 20, 1 << 20))
          .isInstanceOf(SpoolLock.SpoolInUseException.class)
          .hasMessage(
              "spool directory "
                  + dir
                  + " is in use by another sensor (pid "
                  + ProcessHandle.current().pid()
                  + ")");
      assertThat(spool.append((byte) 0, "k", value(0))).isTrue();
    }
    try (Spool again = open(1 << 20, 1 << 20)) {
      assertThat(again.records()).isEqualTo(1);
      assertThat(again.id()).isNotBlank();
    }
  }

  @Test
  void aBoundBelowTheMinimumIsRefusedBeforeTheDirectoryIsMade() {
    Path sub = dir.resolve("not-made");
    assertThatThrownBy(() -> Spool.open(sub, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least " + Spool.MIN_MAX_BYTES);
    assertThat(sub).doesNotExist();
  }
}
