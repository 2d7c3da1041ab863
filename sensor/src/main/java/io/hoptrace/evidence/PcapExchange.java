package io.hoptrace.evidence;

import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.PacketRing;
import io.hoptrace.schema.AvroCodec;
import io.hoptrace.schema.PcapAnswer;
import io.hoptrace.schema.PcapFlowSpan;
import io.hoptrace.schema.PcapHop;
import io.hoptrace.schema.PcapPacket;
import io.hoptrace.schema.PcapRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The request/answer contract of {@code hoptrace pcap} with the live sensors, in one place: a
 * {@link PcapRequest} carries a {@link PacketSelection} (flow keys with their spans) to every
 * sensor on the pcap.requests topic; each sensor answers on pcap.answers with {@link PcapAnswer}
 * parts holding the packets its rings keep of the selection ({@link HopRings#select}), each part's
 * packet bytes within {@link #MAX_PART_BYTES} (well under Kafka's default 1 MB record limit), the
 * last part flagged — a sensor with nothing answers one empty last part, so the requester knows it
 * is there. Both are keyed by the request id.
 */
public final class PcapExchange {

  /** Packet bytes per answer part, at most (a single larger packet goes alone in its part). */
  public static final int MAX_PART_BYTES = 512 * 1024;

  /** Bytes an answer part costs per packet besides its data (Avro varints, generously). */
  private static final int PER_PACKET = 32;

  private static final AvroCodec<PcapRequest> REQUESTS = AvroCodec.of(PcapRequest.class);
  private static final AvroCodec<PcapAnswer> ANSWERS = AvroCodec.of(PcapAnswer.class);

  /** One packet of an answer, with the hop it was captured on. */
  public record Packet(HopContext hop, int linkType, long tsNanos, int wireLength, byte[] data) {}

  private PcapExchange() {}

  /** The request for {@code selection} (which must not be empty). */
  public static PcapRequest request(
      String id, String subject, long requestedAtNanos, PacketSelection selection) {
    if (selection.isEmpty()) {
      throw new IllegalArgumentException("nothing selected for " + subject);
    }
    List<PcapFlowSpan> flows = new ArrayList<>();
    for (PacketSelection.Span s : selection.spans()) {
      flows.add(new PcapFlowSpan(s.flowKey(), s.fromNanos(), s.toNanos()));
    }
    return new PcapRequest(id, subject, requestedAtNanos, flows);
  }

  /**
   * The selection a request carries.
   *
   * @throws IllegalArgumentException for a span without a key or ending before it starts
   */
  public static PacketSelection selection(PcapRequest request) {
    PacketSelection s = new PacketSelection();
    for (PcapFlowSpan f : request.getFlows()) {
      s.add(f.getFlowKey(), f.getFromNanos(), f.getToNanos());
    }
    return s;
  }

  /**
   * A sensor's answer: {@code kept} (in capture-time order) cut into parts of at most {@link
   * #MAX_PART_BYTES} packet bytes, at least one part, the last flagged.
   */
  public static List<PcapAnswer> answer(
      String requestId, String node, String sensorId, List<HopRings.Kept> kept) {
    return answer(requestId, node, sensorId, kept, MAX_PART_BYTES);
  }

  static List<PcapAnswer> answer(
      String requestId, String node, String sensorId, List<HopRings.Kept> kept, int maxPart) {
    List<PcapAnswer> parts = new ArrayList<>();
    int i = 0;
    do {
      List<PcapHop> hops = new ArrayList<>();
      Map<String, Integer> hopIndex = new HashMap<>();
      List<PcapPacket> packets = new ArrayList<>();
      long bytes = 0;
      while (i < kept.size()) {
        PacketRing.Packet p = kept.get(i).packet();
        int cost = p.data().length + PER_PACKET;
        if (!packets.isEmpty() && bytes + cost > maxPart) {
          break;
        }
        HopContext h = kept.get(i).hop();
        Integer index = hopIndex.get(h.id());
        if (index == null) {
          index = hops.size();
          hopIndex.put(h.id(), index);
          hops.add(new PcapHop(h.node(), h.pod(), h.iface(), h.role()));
        }
        packets.add(
            new PcapPacket(
                index, p.linkType(), p.tsNanos(), p.wireLength(), ByteBuffer.wrap(p.data())));
        bytes += cost;
        i++;
      }
      parts.add(
          new PcapAnswer(requestId, node, sensorId, parts.size(), i >= kept.size(), hops, packets));
    } while (i < kept.size());
    return parts;
  }

  /**
   * The packets of one answer part, with their hops.
   *
   * @throws IllegalArgumentException when a packet names a hop the part does not list
   */
  public static List<Packet> packets(PcapAnswer answer) {
    List<HopContext> hops = new ArrayList<>();
    for (PcapHop h : answer.getHops()) {
      hops.add(new HopContext(h.getNode(), h.getPod(), h.getIface(), h.getRole()));
    }
    List<Packet> out = new ArrayList<>(answer.getPackets().size());
    for (PcapPacket p : answer.getPackets()) {
      if (p.getHop() < 0 || p.getHop() >= hops.size()) {
        throw new IllegalArgumentException(
            "answer of "
                + answer.getNode()
                + " part "
                + answer.getPart()
                + ": packet names hop "
                + p.getHop()
                + " of "
                + hops.size());
      }
      ByteBuffer b = p.getData().duplicate();
      byte[] data = new byte[b.remaining()];
      b.get(data);
      out.add(
          new Packet(
              hops.get(p.getHop()), p.getLinkType(), p.getTsNanos(), p.getWireLength(), data));
    }
    return out;
  }

  /**
   * The request for {@code selection}, asked now (the wall clock), as bytes for the pcap.requests
   * topic: what {@code hoptrace pcap} and the incident trigger publish.
   */
  public static byte[] encodeRequestNow(String id, String subject, PacketSelection selection) {
    java.time.Instant now = java.time.Instant.now();
    return encode(
        request(id, subject, now.getEpochSecond() * 1_000_000_000L + now.getNano(), selection));
  }

  /** The request as bytes for the pcap.requests topic. */
  public static byte[] encode(PcapRequest request) {
    return REQUESTS.encode(request);
  }

  /** An answer part as bytes for the pcap.answers topic. */
  public static byte[] encode(PcapAnswer answer) {
    return ANSWERS.encode(answer);
  }

  /** A request read from the pcap.requests topic (an {@code AvroCodec} exception when not one). */
  public static PcapRequest decodeRequest(byte[] data) {
    return REQUESTS.decode(data);
  }

  /** An answer part read from the pcap.answers topic. */
  public static PcapAnswer decodeAnswer(byte[] data) {
    return ANSWERS.decode(data);
  }
}
