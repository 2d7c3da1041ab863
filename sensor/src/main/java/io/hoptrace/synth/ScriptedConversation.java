package io.hoptrace.synth;

import static io.hoptrace.synth.PacketBuilder.ACK;
import static io.hoptrace.synth.PacketBuilder.PROTO_TCP;
import static io.hoptrace.synth.PacketBuilder.PROTO_UDP;
import static io.hoptrace.synth.PacketBuilder.PSH;
import static io.hoptrace.synth.PacketBuilder.SYN;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Short conversations planned up front and built packet by packet: DNS lookups, other UDP streams,
 * pings and ICMP errors answering an offending packet.
 */
final class ScriptedConversation implements Conversation {
  private static final String[] NAMES = {
    "kube-dns.kube-system.svc.cluster.local",
    "api.payments.svc.cluster.local",
    "registry-1.docker.io",
    "db-0.postgres.data.svc.cluster.local",
    "metrics.example.com",
    "auth.internal.example.org",
  };

  private final ArrayDeque<Supplier<IpPacket>> steps = new ArrayDeque<>();

  private ScriptedConversation() {}

  @Override
  public boolean done() {
    return steps.isEmpty();
  }

  @Override
  public IpPacket next() {
    return steps.poll().get();
  }

  /** One to three DNS lookups, each a query and its answer (some NXDOMAIN). */
  static Conversation dns(Hosts h, SplittableRandom rnd) {
    ScriptedConversation c = new ScriptedConversation();
    int port = ephemeral(rnd);
    for (int n = 1 + rnd.nextInt(3); n > 0; n--) {
      int id = rnd.nextInt(0x10000);
      String name = NAMES[rnd.nextInt(NAMES.length)];
      int qtype = h.isV6() ? 28 : 1;
      boolean nx = rnd.nextInt(10) == 0;
      int[] answers = nx || qtype != 1 ? new int[0] : new int[1 + rnd.nextInt(3)];
      for (int i = 0; i < answers.length; i++) {
        answers[i] = 0x0A600000 | rnd.nextInt(0x10000);
      }
      c.steps.add(() -> udp(h, true, port, 53, PacketBuilder.dnsQuery(id, name, qtype)));
      c.steps.add(
          () ->
              udp(
                  h,
                  false,
                  53,
                  port,
                  PacketBuilder.dnsResponse(id, nx ? 3 : 0, name, qtype, answers)));
    }
    return c;
  }

  /** A UDP exchange: QUIC-like on 443, NTP, syslog or statsd. */
  static Conversation udpStream(Hosts h, SplittableRandom rnd) {
    ScriptedConversation c = new ScriptedConversation();
    int port = ephemeral(rnd);
    long seed = rnd.nextLong();
    switch (rnd.nextInt(4)) {
      case 0 -> {
        for (int i = 0, n = 4 + rnd.nextInt(16); i < n; i++) {
          boolean fwd = i % 3 == 0;
          int len = fwd ? 40 + rnd.nextInt(60) : 1200 + rnd.nextInt(152);
          c.steps.add(() -> udp(h, fwd, port, 443, PacketBuilder.payload(seed + len, len)));
        }
      }
      case 1 -> {
        c.steps.add(() -> udp(h, true, 123, 123, PacketBuilder.payload(seed, 48)));
        c.steps.add(() -> udp(h, false, 123, 123, PacketBuilder.payload(~seed, 48)));
      }
      case 2 -> {
        for (int i = 0, n = 1 + rnd.nextInt(6); i < n; i++) {
          int len = 80 + rnd.nextInt(400);
          c.steps.add(() -> udp(h, true, port, 514, PacketBuilder.payload(seed + len, len)));
        }
      }
      default -> {
        for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) {
          int len = 20 + rnd.nextInt(100);
          c.steps.add(() -> udp(h, true, port, 8125, PacketBuilder.payload(seed + len, len)));
        }
      }
    }
    return c;
  }

  /** One to four echo request/reply pairs with 56 data bytes, like ping. */
  static Conversation ping(Hosts h, SplittableRandom rnd) {
    ScriptedConversation c = new ScriptedConversation();
    int id = rnd.nextInt(0x10000);
    byte[] data = PacketBuilder.payload(rnd.nextLong(), 56);
    for (int seq = 1, n = 1 + rnd.nextInt(4); seq <= n; seq++) {
      int s = seq;
      for (boolean request : new boolean[] {true, false}) {
        c.steps.add(
            () -> {
              byte[] icmp =
                  h.isV6()
                      ? PacketBuilder.icmpv6Echo(request, id, s, data)
                      : PacketBuilder.icmpEcho(request, id, s, data);
              return new IpPacket(h.packet(request, h.icmpProtocol(), icmp), request);
            });
      }
    }
    return c;
  }

  /**
   * An offending packet and the ICMP error it causes: port unreachable from the server, host
   * unreachable / time exceeded / fragmentation needed (packet too big) from the router.
   *
   * @param mtu the path MTU: the size of the oversized packet; the error announces 50 less
   */
  static Conversation icmpError(Hosts h, SplittableRandom rnd, int mtu) {
    ScriptedConversation c = new ScriptedConversation();
    int port = ephemeral(rnd);
    long seed = rnd.nextLong();
    long seq = rnd.nextInt() & 0xFFFFFFFFL;
    switch (rnd.nextInt(4)) {
      case 0 -> { // UDP to a closed port
        byte[] probe = h.packet(true, PROTO_UDP, PacketBuilder.udp(port, 9999, payload(seed, 40)));
        c.steps.add(() -> new IpPacket(probe, true));
        c.steps.add(
            () ->
                new IpPacket(
                    h.fromServer(
                        h.isV6()
                            ? PacketBuilder.icmpv6Unreachable(4, probe)
                            : PacketBuilder.icmpUnreachable(3, probe)),
                    false));
      }
      case 1 -> { // SYN to an unreachable host
        byte[] syn =
            h.packet(
                true,
                PROTO_TCP,
                PacketBuilder.tcp(
                    port,
                    443,
                    seq,
                    0,
                    SYN,
                    64240,
                    PacketBuilder.linuxSynOptions(1460, 7, seq, 0),
                    new byte[0]));
        c.steps.add(() -> new IpPacket(syn, true));
        c.steps.add(
            () ->
                new IpPacket(
                    h.fromRouter(
                        h.isV6()
                            ? PacketBuilder.icmpv6Unreachable(3, syn)
                            : PacketBuilder.icmpUnreachable(1, syn)),
                    false));
      }
      case 2 -> { // traceroute probe with TTL 1
        byte[] probe =
            h.packet(
                true,
                PROTO_UDP,
                1,
                PacketBuilder.udp(port, 33434 + rnd.nextInt(30), payload(seed, 32)));
        c.steps.add(() -> new IpPacket(probe, true));
        c.steps.add(
            () ->
                new IpPacket(
                    h.fromRouter(
                        h.isV6()
                            ? PacketBuilder.icmpv6TimeExceeded(probe)
                            : PacketBuilder.icmpTimeExceeded(probe)),
                    false));
      }
      default -> { // a full-size DF segment meets a smaller MTU
        int len = mtu - (h.isV6() ? 60 : 40);
        byte[] big =
            h.packet(
                true,
                PROTO_TCP,
                PacketBuilder.tcp(
                    port, 443, seq, seq + 7, PSH | ACK, 502, new byte[0], payload(seed, len)));
        c.steps.add(() -> new IpPacket(big, true));
        c.steps.add(
            () ->
                new IpPacket(
                    h.fromRouter(
                        h.isV6()
                            ? PacketBuilder.icmpv6PacketTooBig(Math.max(1280, mtu - 50), big)
                            : PacketBuilder.icmpFragNeeded(mtu - 50, big)),
                    false));
      }
    }
    return c;
  }

  private static IpPacket udp(Hosts h, boolean forward, int sport, int dport, byte[] payload) {
    return new IpPacket(
        h.packet(forward, PROTO_UDP, PacketBuilder.udp(sport, dport, payload)), forward);
  }

  private static byte[] payload(long seed, int len) {
    return PacketBuilder.payload(seed, len);
  }

  private static int ephemeral(SplittableRandom rnd) {
    return 32768 + rnd.nextInt(28232);
  }
}
