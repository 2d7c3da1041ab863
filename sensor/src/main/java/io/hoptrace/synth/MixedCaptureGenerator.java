package io.hoptrace.synth;

import io.hoptrace.capture.LinkType;
import io.hoptrace.capture.PcapWriter;
import io.hoptrace.synth.PacketBuilder.Underlay;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A deterministic, endless mix of realistic traffic for benchmarks and conformance runs: TCP
 * connections (handshake, data, delayed ACKs, SACK recovery and retransmissions, FIN/RST), DNS and
 * other UDP, pings and ICMP errors; a fifth of it VXLAN on 8472 between nodes, some Geneve,
 * IP-in-IP, GRE, IPv6 and VLAN-tagged. Many conversations are open at once and interleave.
 *
 * <p>{@code main(path, count, seed)} writes a nanosecond pcap (LINKTYPE_ETHERNET), streaming.
 */
public final class MixedCaptureGenerator {

  /** Traffic kinds and their share (percent) of the default mix. */
  public enum Kind {
    TCP(45),
    UDP(10),
    ICMP(4),
    VXLAN(20),
    GENEVE(3),
    IPIP(2),
    GRE(2),
    IPV6(8),
    VLAN(6);

    private final int weight;

    Kind(int weight) {
      this.weight = weight;
    }

    public int weight() {
      return weight;
    }
  }

  /** Receives generated frames. */
  @FunctionalInterface
  public interface FrameSink {
    void accept(long tsNanos, byte[] frame) throws IOException;
  }

  /** 2025-01-01T00:00:00Z. */
  public static final long START_NANOS = 1_735_689_600_000_000_000L;

  private static final int OPEN_PER_KIND = 32;
  private static final double MEAN_GAP_NANOS = 3_000;
  private static final int[] SERVER_PORTS = {443, 80, 8080, 5432, 9092, 10250};

  private final SplittableRandom rnd;
  private final Kind[] table;
  private final Flow[][] open = new Flow[Kind.values().length][OPEN_PER_KIND];
  private final Hosts.IpIds ids = new Hosts.IpIds();
  private long tsNanos = START_NANOS;

  private record Flow(Conversation conversation, Encapsulation encapsulation) {}

  /** The default mix (see {@link Kind} weights). */
  public MixedCaptureGenerator(long seed) {
    this(seed, Kind.values());
  }

  /** Only the given kinds, in their relative default proportions. */
  public MixedCaptureGenerator(long seed, Kind... kinds) {
    this.rnd = new SplittableRandom(seed);
    int total = 0;
    for (Kind k : kinds) {
      total += k.weight;
    }
    table = new Kind[total];
    int i = 0;
    for (Kind k : kinds) {
      for (int w = 0; w < k.weight; w++) {
        table[i++] = k;
      }
    }
  }

  /** The next frame; its timestamp is {@link #timestampNanos()}. */
  public byte[] next() {
    tsNanos += 100 + (long) (-StrictMath.log(1 - rnd.nextDouble()) * MEAN_GAP_NANOS);
    Kind kind = table[rnd.nextInt(table.length)];
    Flow[] slots = open[kind.ordinal()];
    int slot = rnd.nextInt(slots.length);
    if (slots[slot] == null || slots[slot].conversation.done()) {
      slots[slot] = newFlow(kind);
    }
    Flow f = slots[slot];
    Conversation.IpPacket p = f.conversation.next();
    return f.encapsulation.frame(p.bytes(), p.forward());
  }

  /** Timestamp of the last frame returned by {@link #next()}, ns since the epoch. */
  public long timestampNanos() {
    return tsNanos;
  }

  public void generate(long count, FrameSink sink) throws IOException {
    for (long i = 0; i < count; i++) {
      byte[] f = next();
      sink.accept(tsNanos, f);
    }
  }

  /**
   * Writes {@code count} whole frames as a nanosecond pcap (LINKTYPE_ETHERNET) to {@code out}
   * (buffer it; it is flushed, not closed); returns the bytes of frame data written.
   */
  public long writePcap(OutputStream out, long count) throws IOException {
    PcapWriter pcap = new PcapWriter(out, LinkType.ETHERNET, true);
    long[] bytes = {0};
    generate(
        count,
        (ts, frame) -> {
          pcap.write(ts, frame);
          bytes[0] += frame.length;
        });
    pcap.flush();
    return bytes[0];
  }

  /** {@code MixedCaptureGenerator OUTPUT.pcap [COUNT=2000000] [SEED=1]}. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 3) {
      System.err.println("usage: MixedCaptureGenerator OUTPUT.pcap [COUNT=2000000] [SEED=1]");
      System.exit(2);
    }
    Path path = Path.of(args[0]);
    long count = args.length > 1 ? Long.parseLong(args[1]) : 2_000_000L;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1L;
    long bytes;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20)) {
      bytes = new MixedCaptureGenerator(seed).writePcap(out, count);
    }
    System.out.printf(
        "wrote %s: %d packets, %d bytes of frames, mean %.1f B/packet, seed %d%n",
        path, count, bytes, count == 0 ? 0.0 : (double) bytes / count, seed);
  }

  // ---------------------------------------------------------------- flows

  private Flow newFlow(Kind kind) {
    return switch (kind) {
      case TCP -> new Flow(tcp(plainHosts(), 1500), plainEthernet());
      case UDP ->
          new Flow(rnd.nextBoolean() ? dns(plainHosts()) : udp(plainHosts()), plainEthernet());
      case ICMP ->
          new Flow(
              rnd.nextInt(10) < 7
                  ? ScriptedConversation.ping(plainHosts(), rnd)
                  : ScriptedConversation.icmpError(plainHosts(), rnd, 1500),
              plainEthernet());
      case VXLAN -> overlay(kind, 1450);
      case GENEVE -> overlay(kind, 1442);
      case IPIP -> tunnelled(kind, 1480);
      case GRE -> tunnelled(kind, 1476);
      case IPV6 -> new Flow(mixed(v6Hosts(), 1500), plainEthernet());
      case VLAN -> {
        int outer = 2 + rnd.nextInt(4000);
        Encapsulation e =
            rnd.nextInt(5) == 0
                ? Encapsulation.ethernet(mac(), mac(), outer, 2 + rnd.nextInt(4000))
                : Encapsulation.ethernet(mac(), mac(), outer);
        yield new Flow(mixed(plainHosts(), 1500), e);
      }
    };
  }

  /** Pods on two nodes talking through VXLAN 8472 (flannel) or Geneve. */
  private Flow overlay(Kind kind, int mtu) {
    int a = rnd.nextInt(16);
    int b = (a + 1 + rnd.nextInt(15)) % 16;
    Hosts pods = Hosts.v4(pod(a), pod(b), 0x0AF40001 | (a << 8), ids);
    Underlay nodes = new Underlay(nodeMac(a), nodeMac(b), node(a), node(b));
    long podMacA = 0x0A5800000000L | (pod(a) & 0xFFFFFFFFL);
    long podMacB = 0x0A5800000000L | (pod(b) & 0xFFFFFFFFL);
    Encapsulation e =
        kind == Kind.VXLAN
            ? Encapsulation.vxlan(nodes, podMacA, podMacB, PacketBuilder.VXLAN_PORT_FLANNEL, 1, ids)
            : Encapsulation.geneve(nodes, podMacA, podMacB, 100 + rnd.nextInt(50), ids);
    return new Flow(mixed(pods, mtu), e);
  }

  /** IP-in-IP (4in4, some 6in4) or GRE (plain, or keyed carrying Ethernet) between nodes. */
  private Flow tunnelled(Kind kind, int mtu) {
    int a = rnd.nextInt(16);
    int b = (a + 1 + rnd.nextInt(15)) % 16;
    Underlay nodes = new Underlay(nodeMac(a), nodeMac(b), node(a), node(b));
    if (kind == Kind.IPIP) {
      Hosts hosts =
          rnd.nextInt(5) == 0 ? v6Hosts() : Hosts.v4(pod(a), pod(b), 0x0AF40001 | (a << 8), ids);
      return new Flow(mixed(hosts, mtu), Encapsulation.ipip(nodes, ids));
    }
    Hosts hosts = Hosts.v4(pod(a), pod(b), 0x0AF40001 | (a << 8), ids);
    if (rnd.nextBoolean()) {
      return new Flow(mixed(hosts, mtu), Encapsulation.gre(nodes, ids));
    }
    int key = 1000 + rnd.nextInt(100);
    // keyed GRE (12 bytes) carrying Ethernet (14) leaves 1454 for the inner IP packet
    return new Flow(
        mixed(hosts, mtu - 8 - 14), Encapsulation.greBridged(nodes, mac(), mac(), key, ids));
  }

  /** Mostly TCP, some DNS, UDP, pings and ICMP errors. */
  private Conversation mixed(Hosts hosts, int mtu) {
    int r = rnd.nextInt(100);
    if (r < 72) {
      return tcp(hosts, mtu);
    }
    if (r < 84) {
      return dns(hosts);
    }
    if (r < 90) {
      return udp(hosts);
    }
    if (r < 97) {
      return ScriptedConversation.ping(hosts, rnd);
    }
    return ScriptedConversation.icmpError(hosts, rnd, mtu);
  }

  private Conversation tcp(Hosts hosts, int mtu) {
    return new TcpConversation(hosts, rnd, SERVER_PORTS[rnd.nextInt(SERVER_PORTS.length)], mtu);
  }

  private Conversation dns(Hosts hosts) {
    return ScriptedConversation.dns(hosts, rnd);
  }

  private Conversation udp(Hosts hosts) {
    return ScriptedConversation.udpStream(hosts, rnd);
  }

  private Encapsulation plainEthernet() {
    return Encapsulation.ethernet(mac(), 0x0200C0A80001L);
  }

  /** A client on 192.168.0.0/20, a server on 172.16.0.0/22, the router 192.168.0.1. */
  private Hosts plainHosts() {
    int client = 0xC0A80000 | rnd.nextInt(16) << 8 | (2 + rnd.nextInt(252));
    int server = 0xAC100000 | rnd.nextInt(4) << 8 | (2 + rnd.nextInt(48));
    return Hosts.v4(client, server, 0xC0A80001, ids);
  }

  /** fd00:10:244::/64 clients, 2001:db8:0:1::/64 servers, router fd00:10:244::1. */
  private Hosts v6Hosts() {
    return Hosts.v6(
        PacketBuilder.ip6(0xFD00001002440000L, rnd.nextLong() >>> 8),
        PacketBuilder.ip6(0x20010DB800000001L, 1 + rnd.nextInt(64)),
        PacketBuilder.ip6(0xFD00001002440000L, 1),
        ids);
  }

  private long mac() {
    return 0x020000000000L | (rnd.nextLong() & 0xFFFFFFFFFFL);
  }

  private int pod(int node) {
    return 0x0AF40000 | node << 8 | (2 + rnd.nextInt(200));
  }

  private static int node(int n) {
    return 0x0A000001 + n;
  }

  private static long nodeMac(int n) {
    return 0x02000A000001L + n;
  }
}
