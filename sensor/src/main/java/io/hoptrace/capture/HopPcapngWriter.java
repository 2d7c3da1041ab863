package io.hoptrace.capture;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A pcapng file of packets from several hops ({@link PcapngWriter}): one interface per hop, named
 * by its hop id ({@code if_name}, e.g. {@code node-b/ens33}) and described by its role ({@code
 * if_description}, e.g. {@code UPLINK}), declared when the hop's first packet is written — so the
 * file has exactly the hops that saw its packets, in the order they first did. A hop whose packets
 * come with two link types gets one interface per link type, both named by the hop. Packets are
 * written in the order given: feed them in capture-time order. Not thread-safe.
 */
public final class HopPcapngWriter implements Closeable {
  private record Interface(String hop, int linkType) {}

  private final PcapngWriter out;
  private final Map<Interface, Integer> ids = new HashMap<>();
  private final Map<String, Long> perHop = new LinkedHashMap<>();

  private HopPcapngWriter(PcapngWriter out) {
    this.out = out;
  }

  /** Creates (or replaces) {@code file} and writes its section header. */
  public static HopPcapngWriter create(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    return new HopPcapngWriter(
        new PcapngWriter(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)));
  }

  /**
   * Appends one packet captured at {@code hop}.
   *
   * @param linkType the LINKTYPE of {@code pkt}
   * @param tsNanos its capture time, ns since the epoch
   * @param len captured bytes taken from {@code pkt[off..off+len)}
   * @param wireLen its length on the wire
   */
  public void write(
      HopContext hop, int linkType, long tsNanos, byte[] pkt, int off, int len, int wireLen)
      throws IOException {
    String id = hop.id();
    Interface key = new Interface(id, linkType);
    Integer iface = ids.get(key);
    if (iface == null) {
      iface = out.addInterface(linkType, id, hop.role().name());
      ids.put(key, iface);
    }
    out.write(iface, tsNanos, pkt, off, len, wireLen);
    perHop.merge(id, 1L, Long::sum);
  }

  /** Packets written per hop id, hops in the order of their first packet. */
  public Map<String, Long> packetsPerHop() {
    return Collections.unmodifiableMap(perHop);
  }

  /** Packets written. */
  public long packets() {
    return out.packets();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
