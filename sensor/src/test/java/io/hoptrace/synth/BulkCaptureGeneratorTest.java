package io.hoptrace.synth;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.capture.LinkType;
import io.hoptrace.decode.DecodeStatus;
import io.hoptrace.decode.DecodedPacket;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.decode.PacketDecoder;
import io.hoptrace.schema.EncapType;
import java.util.HashMap;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class BulkCaptureGeneratorTest {

  @Test
  void connectionsAreWholeDownloadsHalfOfThemInVxlan() {
    int segments = 10;
    BulkCaptureGenerator g = new BulkCaptureGenerator(2, segments);
    PacketDecoder decoder = new PacketDecoder(DecoderConfig.defaults());
    DecodedPacket p = new DecodedPacket();
    Map<Integer, Integer> byFlags = new HashMap<>();
    int vxlan = 0;
    int data = 0;
    // two connections of 3 + 15 + 3 packets each: 42 packets, then the next two start
    for (int i = 0; i < 42; i++) {
      byte[] f = g.next();
      decoder.decode(LinkType.ETHERNET, new UnsafeBuffer(f), 0, f.length, f.length, p);
      assertThat(p.status()).isEqualTo(DecodeStatus.OK);
      assertThat(p.hasTcp()).isTrue();
      byFlags.merge(p.tcpFlags(), 1, Integer::sum);
      if (p.encapDepth() > 0) {
        assertThat(p.encap(0).type()).isEqualTo(EncapType.VXLAN);
        assertThat(p.encap(0).outerDport()).isEqualTo(8472);
        vxlan++;
      }
      if (p.payloadLength() > 0) {
        assertThat(p.payloadLength()).isEqualTo(1448);
        data++;
      }
    }
    assertThat(data).isEqualTo(2 * segments);
    assertThat(vxlan).isEqualTo(21);
    assertThat(byFlags).containsEntry(0x02, 2).containsEntry(0x12, 2).containsEntry(0x11, 4);
    byte[] f = g.next();
    decoder.decode(LinkType.ETHERNET, new UnsafeBuffer(f), 0, f.length, f.length, p);
    assertThat(p.tcpFlags()).as("the next connection starts").isEqualTo(0x02);
  }
}
