package io.hoptrace.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.LinkType;
import io.hoptrace.schema.AvroCodec;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.PacketSummary;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Fuzzes the sensor's per-packet path: {@link PacketDecoder} (its flyweights, ICMP quotes, tunnels)
 * then {@link SummaryMapper} and the Avro encoding of the summary, as {@link PacketSummarizer} and
 * the publisher run them. Whatever the bytes, the decoder must answer with a {@link DecodeStatus}
 * (never an exception) and the summary must encode.
 *
 * <p>Input: byte 0 picks the link type, byte 1 how much longer the wire length is than the captured
 * bytes (GSO packets), byte 2 the packet's offset in the buffer; the rest is the packet. Regression
 * inputs (real packets from the bundled captures, and every crash found) are in {@code
 * PacketDecoderFuzzTestInputs/decode/}; docs/reliability.md "Fuzzing" has the fuzzing command.
 */
class PacketDecoderFuzzTest {

  private static final int[] LINK_TYPES = {
    LinkType.ETHERNET,
    LinkType.LINUX_SLL,
    LinkType.LINUX_SLL2,
    LinkType.RAW,
    LinkType.IPV4,
    LinkType.IPV6,
    LinkType.NULL,
    LinkType.LOOP,
    LinkType.PPP,
    LinkType.PPP_HDLC,
    12,
    14,
    147 // unsupported
  };

  private static final HopContext HOP = new HopContext("node-a", null, "eth0", InterfaceRole.ANY);
  private static final PacketDecoder DECODER = new PacketDecoder();
  private static final DecodedPacket PACKET = new DecodedPacket();
  private static final AvroCodec<PacketSummary> CODEC = AvroCodec.packetSummary();
  private static final UnsafeBuffer BUFFER = new UnsafeBuffer(new byte[0]);

  @FuzzTest(maxDuration = "30s")
  void decode(byte[] input) {
    if (input.length < 3) {
      return;
    }
    int linkType = LINK_TYPES[(input[0] & 0xFF) % LINK_TYPES.length];
    int extraWire = (input[1] & 0xFF) * 512;
    int offset = Math.min(input[2] & 0x0F, input.length - 3);
    int captured = input.length - 3 - offset;
    BUFFER.wrap(input, 3, input.length - 3);

    DecodeStatus status =
        DECODER.decode(linkType, BUFFER, offset, captured, captured + extraWire, PACKET);

    assertThat(status).isNotNull().isSameAs(PACKET.status());
    PacketSummary summary = SummaryMapper.toAvro(HOP, 1L, captured, captured + extraWire, PACKET);
    SummaryMapper.partitionKey(PACKET, summary);
    assertThat(CODEC.decode(CODEC.encode(summary))).isEqualTo(summary);
  }
}
