package io.hoptrace.decode;

import io.hoptrace.capture.HopContext;
import io.hoptrace.schema.PacketSummary;
import org.agrona.DirectBuffer;

/**
 * One capture thread's path from packet bytes to what is published: decode (one reused {@link
 * DecodedPacket}), map to a {@link PacketSummary}, and the summary's Kafka key ({@link
 * SummaryMapper#partitionKey(DecodedPacket, PacketSummary)}: an ICMP error is keyed by the flow it
 * quotes). Not thread-safe: one per thread.
 */
public final class PacketSummarizer {
  private final PacketDecoder decoder;
  private final DecodedPacket packet = new DecodedPacket();
  private String key;

  public PacketSummarizer(DecoderConfig config) {
    this.decoder = new PacketDecoder(config);
  }

  /** Decodes one packet and returns its summary; {@link #key()} is then its partition key. */
  public PacketSummary summarize(
      HopContext hop,
      int linkType,
      DirectBuffer buffer,
      int offset,
      int capturedLength,
      int wireLength,
      long tsNanos) {
    decoder.decode(linkType, buffer, offset, capturedLength, wireLength, packet);
    PacketSummary summary = SummaryMapper.toAvro(hop, tsNanos, capturedLength, wireLength, packet);
    key = SummaryMapper.partitionKey(packet, summary);
    return summary;
  }

  /**
   * Decodes one packet only (no summary): the returned flyweight is reused for the next packet.
   * {@link #key()} is not set.
   */
  public DecodedPacket decode(
      int linkType, DirectBuffer buffer, int offset, int capturedLength, int wireLength) {
    decoder.decode(linkType, buffer, offset, capturedLength, wireLength, packet);
    return packet;
  }

  /** The partition key of the last summary (null when it has no IP header). */
  public String key() {
    return key;
  }

  /** Decode statuses of this summarizer's packets (single writer: its thread). */
  public DecodeCounters counters() {
    return decoder.counters();
  }
}
