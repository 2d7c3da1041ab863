package io.hoptrace.synth;

import static io.hoptrace.synth.PacketBuilder.ACK;
import static io.hoptrace.synth.PacketBuilder.FIN;
import static io.hoptrace.synth.PacketBuilder.PROTO_TCP;
import static io.hoptrace.synth.PacketBuilder.PSH;
import static io.hoptrace.synth.PacketBuilder.RST;
import static io.hoptrace.synth.PacketBuilder.SYN;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * A TCP connection as Linux would send it: handshake with SYN options, request/response rounds
 * (responses in MSS-sized segments, delayed ACKs every second segment), some lost segments
 * recovered by duplicate ACKs with SACK and a fast retransmission, then FIN or RST.
 */
final class TcpConversation implements Conversation {
  private static final double LOSS = 0.02;

  private final Hosts hosts;
  private final SplittableRandom rnd;
  private final int clientPort;
  private final int serverPort;
  private final int mss;
  private final int segmentPayload;
  private final long payloadSeed;
  private final ArrayDeque<Seg> queue = new ArrayDeque<>();
  private long clientNext;
  private long serverNext;
  private int rounds;
  private boolean closed;
  private long clientTs;
  private long serverTs;

  /** A planned segment; built into bytes only when sent. */
  private record Seg(
      boolean fromClient, int flags, long seq, long ack, int len, long sackLeft, long sackRight) {
    Seg(boolean fromClient, int flags, long seq, long ack, int len) {
      this(fromClient, flags, seq, ack, len, 0, 0);
    }
  }

  /**
   * @param mtu the path MTU seen by these hosts (1500 plain, 1450 inside VXLAN, ...)
   */
  TcpConversation(Hosts hosts, SplittableRandom rnd, int serverPort, int mtu) {
    this.hosts = hosts;
    this.rnd = rnd;
    this.clientPort = 32768 + rnd.nextInt(28232);
    this.serverPort = serverPort;
    this.mss = mtu - (hosts.isV6() ? 60 : 40);
    this.segmentPayload = mss - 12;
    this.payloadSeed = rnd.nextLong();
    this.rounds = 1 + rnd.nextInt(4);
    this.clientTs = rnd.nextInt() & 0x7FFFFFFFL;
    this.serverTs = rnd.nextInt() & 0x7FFFFFFFL;
    long isn = rnd.nextInt() & 0xFFFFFFFFL;
    long isnServer = rnd.nextInt() & 0xFFFFFFFFL;
    queue.add(new Seg(true, SYN, isn, 0, 0));
    queue.add(new Seg(false, SYN | ACK, isnServer, isn + 1, 0));
    clientNext = isn + 1;
    serverNext = isnServer + 1;
    queue.add(new Seg(true, ACK, clientNext, serverNext, 0));
  }

  @Override
  public boolean done() {
    return closed && queue.isEmpty();
  }

  @Override
  public IpPacket next() {
    if (queue.isEmpty()) {
      plan();
    }
    Seg s = queue.poll();
    long tsVal = s.fromClient ? ++clientTs : ++serverTs;
    long tsEcr =
        (s.flags & SYN) != 0 && (s.flags & ACK) == 0 ? 0 : s.fromClient ? serverTs : clientTs;
    byte[] options;
    if ((s.flags & SYN) != 0) {
      options = PacketBuilder.linuxSynOptions(mss, 7, tsVal, tsEcr);
    } else if ((s.flags & RST) != 0) {
      options = new byte[0];
    } else if (s.sackRight != 0) {
      options =
          new PacketBuilder.TcpOptions()
              .nop()
              .nop()
              .timestamps(tsVal, tsEcr)
              .nop()
              .nop()
              .sack(s.sackLeft, s.sackRight)
              .build();
    } else {
      options = PacketBuilder.linuxTimestampOptions(tsVal, tsEcr);
    }
    byte[] data = PacketBuilder.payload(payloadSeed ^ s.seq * 0x9E3779B97F4A7C15L, s.len);
    int window = (s.flags & SYN) != 0 ? 64240 : 501 + (int) (s.seq & 0x3FF);
    int sport = s.fromClient ? clientPort : serverPort;
    int dport = s.fromClient ? serverPort : clientPort;
    byte[] tcp =
        PacketBuilder.tcp(
            sport, dport, s.seq & 0xFFFFFFFFL, s.ack & 0xFFFFFFFFL, s.flags, window, options, data);
    return new IpPacket(hosts.packet(s.fromClient, PROTO_TCP, tcp), s.fromClient);
  }

  private void plan() {
    if (rounds-- > 0) {
      planRound();
    } else {
      planClose();
    }
  }

  private void planRound() {
    int request = 60 + rnd.nextInt(500);
    queue.add(new Seg(true, PSH | ACK, clientNext, serverNext, request));
    clientNext += request;
    int response = responseSize();
    int sinceAck = 0;
    while (response > 0) {
      Seg seg = serverSegment(response);
      response -= seg.len;
      queue.add(seg);
      if (rnd.nextDouble() < LOSS) {
        if (response > 0) {
          // seg is dropped downstream; the next one arrives and is SACKed; fast retransmit
          Seg after = serverSegment(response);
          response -= after.len;
          queue.add(after);
          queue.add(new Seg(true, ACK, clientNext, seg.seq, 0, after.seq, after.seq + after.len));
        }
        queue.add(seg); // retransmission: same sequence number, same bytes
        queue.add(new Seg(true, ACK, clientNext, serverNext, 0));
        sinceAck = 0;
      } else if (++sinceAck == 2 || response == 0) {
        queue.add(new Seg(true, ACK, clientNext, serverNext, 0));
        sinceAck = 0;
      }
    }
  }

  private Seg serverSegment(int remaining) {
    int len = Math.min(remaining, segmentPayload);
    Seg s = new Seg(false, remaining == len ? PSH | ACK : ACK, serverNext, clientNext, len);
    serverNext += len;
    return s;
  }

  private void planClose() {
    closed = true;
    if (rnd.nextInt(10) == 0) {
      queue.add(new Seg(true, RST | ACK, clientNext, serverNext, 0));
      return;
    }
    queue.add(new Seg(true, FIN | ACK, clientNext, serverNext, 0));
    queue.add(new Seg(false, FIN | ACK, serverNext, clientNext + 1, 0));
    queue.add(new Seg(true, ACK, clientNext + 1, serverNext + 1, 0));
  }

  private int responseSize() {
    int r = rnd.nextInt(100);
    if (r < 45) {
      return 100 + rnd.nextInt(1200);
    }
    if (r < 90) {
      return 2_000 + rnd.nextInt(16_000);
    }
    return 40_000 + rnd.nextInt(100_000);
  }
}
