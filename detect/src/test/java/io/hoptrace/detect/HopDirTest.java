package io.hoptrace.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HopDirTest {
  private static final long MS = 1_000_000L;

  private static int filled(HopDir h) {
    int n = 0;
    for (int i = 0; i < HopDir.RING; i++) {
      if (h.ringFp[i] != 0) {
        n++;
      } else {
        assertThat(h.ringTs[i]).as("an empty entry is (0, 0)").isZero();
      }
    }
    return n;
  }

  @Test
  void secondCopyWithinTheWindowIsADuplicateLaterOneIsNot() {
    HopDir h = new HopDir();
    assertThat(h.duplicate(0xAB, 100 * MS, MS)).isFalse();
    assertThat(h.duplicate(0xAB, 100 * MS + 500_000, MS)).isTrue();
    // the same fingerprint 2 ms later is a new packet (e.g. a retransmission)
    assertThat(h.duplicate(0xAB, 102 * MS, MS)).isFalse();
  }

  @Test
  void entriesNoLaterPacketCanMatchAreCleared() {
    HopDir h = new HopDir();
    for (int i = 0; i < 5; i++) {
      h.duplicate(0x100 + i, (100 + 10 * i) * MS, MS); // one packet every 10 ms
    }
    // each insert cleared the entries more than 1 ms older: only the newest is kept
    assertThat(filled(h)).isEqualTo(1);
    // a burst within the window keeps every packet of the burst
    for (int i = 0; i < 4; i++) {
      h.duplicate(0x200 + i, 200 * MS + i * 100_000, MS);
    }
    assertThat(filled(h)).isEqualTo(4);
    assertThat(h.duplicate(0x201, 200 * MS + 350_000, MS)).isTrue();
  }

  @Test
  void packetWithoutFingerprintIsNeitherComparedNorRemembered() {
    HopDir h = new HopDir();
    assertThat(h.duplicate(0, 100 * MS, MS)).isFalse();
    assertThat(h.duplicate(0, 100 * MS, MS)).isFalse();
    assertThat(filled(h)).isZero();
  }

  @Test
  void disabledWindowNeverReportsADuplicate() {
    HopDir h = new HopDir();
    assertThat(h.duplicate(0xAB, 100 * MS, 0)).isFalse();
    assertThat(h.duplicate(0xAB, 100 * MS, 0)).isFalse();
  }
}
