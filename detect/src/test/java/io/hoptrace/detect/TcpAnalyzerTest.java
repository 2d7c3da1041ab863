package io.hoptrace.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.schema.TcpInfo;
import org.junit.jupiter.api.Test;

class TcpAnalyzerTest {
  static final int SYN = 2;
  static final int ACK = 16;
  static final int PSH = 8;
  final HopDir client = new HopDir();
  final HopDir server = new HopDir();
  static final long MS = 1_000_000L;

  private int send(HopDir from, HopDir to, int flags, long seq, long ack, int len, long ts) {
    TcpInfo t =
        TcpInfo.newBuilder().setFlags(flags).setSeq(seq).setAck(ack).setWindow(1000).build();
    int r = TcpAnalyzer.analyze(from, to, t, len, ts);
    from.lastTs = ts;
    return r;
  }

  @Test
  void repeatedSynIsARetransmission() {
    assertThat(send(client, server, SYN, 100, 0, 0, 0)).isEqualTo(TcpAnalyzer.NONE);
    assertThat(send(client, server, SYN, 100, 0, 0, 1000 * MS))
        .isEqualTo(TcpAnalyzer.RETRANSMISSION);
  }

  @Test
  void resentSegmentAfterTwoDuplicateAcksIsAFastRetransmission() {
    send(client, server, ACK | PSH, 1, 1, 100, 0);
    send(client, server, ACK | PSH, 101, 1, 100, 1 * MS);
    send(client, server, ACK | PSH, 201, 1, 100, 2 * MS);
    send(server, client, ACK, 1, 101, 0, 50 * MS);
    send(server, client, ACK, 1, 101, 0, 51 * MS);
    send(server, client, ACK, 1, 101, 0, 52 * MS);
    assertThat(send(client, server, ACK | PSH, 101, 1, 100, 60 * MS))
        .isEqualTo(TcpAnalyzer.FAST_RETRANSMISSION);
  }

  @Test
  void resentSegmentThatWasAlreadyAcknowledgedIsSpurious() {
    send(client, server, ACK | PSH, 1, 1, 100, 0);
    send(server, client, ACK, 1, 101, 0, 50 * MS);
    assertThat(send(client, server, ACK | PSH, 1, 1, 100, 300 * MS))
        .isEqualTo(TcpAnalyzer.SPURIOUS_RETRANSMISSION);
  }

  @Test
  void resentUnacknowledgedSegmentIsARetransmission() {
    send(client, server, ACK | PSH, 1, 1, 100, 0);
    assertThat(send(client, server, ACK | PSH, 1, 1, 100, 300 * MS))
        .isEqualTo(TcpAnalyzer.RETRANSMISSION);
  }

  @Test
  void keepAliveAndOutOfOrderAreNotRetransmissions() {
    send(client, server, ACK | PSH, 1, 1, 100, 0);
    assertThat(send(client, server, ACK, 100, 1, 0, 10_000 * MS)).isEqualTo(TcpAnalyzer.NONE);
    send(client, server, ACK | PSH, 301, 1, 100, 20_000 * MS); // 101..300 not seen yet
    assertThat(send(client, server, ACK | PSH, 101, 1, 100, 20_000 * MS + MS))
        .isEqualTo(TcpAnalyzer.NONE);
  }

  @Test
  void sequenceNumbersWrapAround() {
    long nearEnd = 0xFFFFFFFFL - 49;
    send(client, server, ACK | PSH, nearEnd, 1, 100, 0);
    assertThat(send(client, server, ACK | PSH, 50, 1, 100, 10 * MS)).isEqualTo(TcpAnalyzer.NONE);
    assertThat(send(client, server, ACK | PSH, nearEnd, 1, 100, 500 * MS))
        .isEqualTo(TcpAnalyzer.RETRANSMISSION);
  }
}
