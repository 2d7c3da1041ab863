package io.hoptrace.synth;

import static io.hoptrace.synth.PacketBuilder.ACK;
import static io.hoptrace.synth.PacketBuilder.FIN;
import static io.hoptrace.synth.PacketBuilder.PROTO_TCP;
import static io.hoptrace.synth.PacketBuilder.PROTO_UDP;
import static io.hoptrace.synth.PacketBuilder.PSH;
import static io.hoptrace.synth.PacketBuilder.SYN;

import io.hoptrace.capture.LinkType;
import io.hoptrace.capture.PcapWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bulk transfers as a node's uplink carries them, for live-capture benchmarks: {@code flows}
 * concurrent TCP connections from pods on node-a (10.244.0.x) downloading from pods on node-b
 * (10.244.1.x:8080), each a handshake, {@code segments} full-size data segments (1448 bytes,
 * timestamps option) with an ACK every second segment, and FIN both ways; a finished connection is
 * replaced by a new one. The connections take turns packet by packet; every other one is VXLAN on
 * flannel's port 8472 between the nodes (192.168.232.128/.130, inner frame of 1514 bytes), the
 * others plain, as on a bridge. Timestamps 10 µs apart. Deterministic.
 *
 * <p>{@code main(path, packets [, flows [, segments]])} writes a nanosecond pcap
 * (LINKTYPE_ETHERNET).
 */
public final class BulkCaptureGenerator {
  private static final long START_NANOS = MixedCaptureGenerator.START_NANOS;
  private static final int MSS = 1448;
  private static final int NODE_A = 0xC0A8E880; // 192.168.232.128
  private static final int NODE_B = 0xC0A8E882; // 192.168.232.130
  private static final long MAC_A = 0x02_00_00_00_00_0AL;
  private static final long MAC_B = 0x02_00_00_00_00_0BL;

  private final Transfer[] open;
  private final int segments;
  private final byte[] payload = new byte[MSS];
  private int started;
  private int turn;
  private long ts = START_NANOS;

  public BulkCaptureGenerator(int flows, int segments) {
    if (flows < 1 || segments < 2) {
      throw new IllegalArgumentException("need at least 1 flow and 2 segments per flow");
    }
    this.segments = segments;
    this.open = new Transfer[flows];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31);
    }
    for (int i = 0; i < flows; i++) {
      open[i] = new Transfer(started++);
    }
  }

  /** The next frame; {@link #timestampNanos()} is its capture time. */
  public byte[] next() {
    int i = turn;
    turn = (turn + 1) % open.length;
    Transfer t = open[i];
    byte[] f = t.next();
    if (t.done()) {
      open[i] = new Transfer(started++);
    }
    ts += 10_000;
    return f;
  }

  public long timestampNanos() {
    return ts;
  }

  /** Writes {@code count} frames as a nanosecond pcap; returns the bytes of frame data. */
  public long writePcap(OutputStream out, long count) throws IOException {
    PcapWriter pcap = new PcapWriter(out, LinkType.ETHERNET, true);
    long bytes = 0;
    for (long n = 0; n < count; n++) {
      byte[] f = next();
      pcap.write(ts, f);
      bytes += f.length;
    }
    pcap.flush();
    return bytes;
  }

  /** One connection: its packets in the order they are sent. */
  private final class Transfer {
    private final int client;
    private final int server;
    private final int clientPort;
    private final boolean vxlan;
    private final long clientIsn;
    private final long serverIsn;
    private int phase; // 0 SYN, 1 SYN-ACK, 2 ACK, 3 data and ACKs, 4-6 FIN, FIN-ACK, ACK
    private int pair;
    private int sent;
    private int ipId;
    private boolean done;

    Transfer(int n) {
      this.client = 0x0AF40000 | (2 + n % 200); // 10.244.0.x
      this.server = 0x0AF40100 | (2 + (n / 200) % 200); // 10.244.1.x
      this.clientPort = 32768 + (n * 7919) % 28000;
      this.vxlan = n % 2 == 0;
      this.clientIsn = (n * 2654435761L) & 0xFFFFFFFFL;
      this.serverIsn = (n * 40503L + 12345) & 0xFFFFFFFFL;
    }

    boolean done() {
      return done;
    }

    byte[] next() {
      long c = clientIsn + 1;
      long s = serverIsn + 1;
      long end = s + (long) segments * MSS;
      switch (phase) {
        case 0:
          phase = 1;
          return fromClient(SYN, clientIsn, 0, 0);
        case 1:
          phase = 2;
          return fromServer(SYN | ACK, serverIsn, c, 0);
        case 2:
          phase = 3;
          return fromClient(ACK, c, s, 0);
        case 3:
          // two segments from the server, then the client's ACK of both
          if (pair < 2) {
            long seq = s + (long) sent * MSS;
            sent++;
            pair++;
            return fromServer(ACK | PSH, seq, c, MSS);
          }
          pair = 0;
          if (sent >= segments) {
            phase = 4;
          }
          return fromClient(ACK, c, s + (long) sent * MSS, 0);
        case 4:
          phase = 5;
          return fromServer(FIN | ACK, end, c, 0);
        case 5:
          phase = 6;
          return fromClient(FIN | ACK, c, end + 1, 0);
        default:
          done = true;
          return fromServer(ACK, end + 1, c + 1, 0);
      }
    }

    private byte[] fromClient(int flags, long seq, long ack, int len) {
      return frame(client, clientPort, server, 8080, flags, seq, ack, len);
    }

    private byte[] fromServer(int flags, long seq, long ack, int len) {
      return frame(server, 8080, client, clientPort, flags, seq, ack, len);
    }

    private byte[] frame(
        int src, int sport, int dst, int dport, int flags, long seq, long ack, int len) {
      byte[] data = len == 0 ? new byte[0] : payload;
      byte[] tcp =
          PacketBuilder.tcp(
              sport,
              dport,
              seq,
              ack,
              flags,
              502,
              PacketBuilder.linuxTimestampOptions(ts / 1_000_000, ts / 1_000_000 - 1),
              data);
      byte[] ip = PacketBuilder.ipv4(src, dst, PROTO_TCP, 63, ipId++ & 0xFFFF, true, tcp);
      byte[] inner = PacketBuilder.ethernetIp(MAC_B, MAC_A, ip);
      if (!vxlan) {
        return inner;
      }
      boolean fromA = (src & 0xFF00) == 0x0000;
      byte[] udp =
          PacketBuilder.udp(
              PacketBuilder.tunnelSourcePort(inner),
              PacketBuilder.VXLAN_PORT_FLANNEL,
              PacketBuilder.vxlan(1, inner));
      byte[] outer =
          PacketBuilder.ipv4(
              fromA ? NODE_A : NODE_B, fromA ? NODE_B : NODE_A, PROTO_UDP, 64, 0, 0, udp, false);
      return PacketBuilder.ethernetIp(fromA ? MAC_B : MAC_A, fromA ? MAC_A : MAC_B, outer);
    }
  }

  /** {@code path packets [flows [segments]]}: writes a pcap, prints what it wrote. */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: BulkCaptureGenerator FILE.pcap PACKETS [FLOWS [SEGMENTS]]");
      System.exit(2);
    }
    Path path = Path.of(args[0]);
    long count = Long.parseLong(args[1]);
    int flows = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    int segments = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
    BulkCaptureGenerator g = new BulkCaptureGenerator(flows, segments);
    long bytes;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20)) {
      bytes = g.writePcap(out, count);
    }
    System.out.printf(
        "wrote %s: %d packets, %d bytes of frames, %d flows at a time, %d segments each,"
            + " %d connections started%n",
        path, count, bytes, flows, segments, g.started);
  }
}
