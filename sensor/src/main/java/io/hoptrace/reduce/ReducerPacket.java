package io.hoptrace.reduce;

import io.hoptrace.schema.EncapType;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.PacketSummary;

/**
 * One captured packet as the {@link Reducer} reads it: the numbers its decision and counters need,
 * read for every packet, and what it reads only sometimes — the hop's and flow's names when a table
 * entry or a direction is new, the outer addresses of a folded encapsulated packet, and the
 * published {@link PacketSummary} with its key for a packet kept one by one. Two forms: {@link
 * SummaryPacket} over a summary already built (replays, tests), and {@link DecodedPacketView} over
 * the decoder's flyweight (a live sensor), which builds the summary only for a packet kept, so that
 * the folded majority costs no record, no string and no hash of strings.
 *
 * <p>Both forms must give the reducer the same values for the same packet: {@code
 * ReducerPacketFormsTest} feeds both with the same captures and compares every record.
 */
public interface ReducerPacket {

  /** Capture time. */
  long tsNanos();

  /** False when the packet has no IP header (or no flow key): it is kept, never folded. */
  boolean hasFlow();

  int ipVersion();

  int proto();

  int sport();

  int dport();

  /** The packet carries a decoded DNS message. */
  boolean dns();

  /** The packet goes A→B in its flow key. */
  boolean forward();

  /** Fingerprint (0 none). */
  long fingerprint();

  boolean tcp();

  int tcpFlags();

  long tcpSeq();

  long tcpAck();

  int tcpWindow();

  /** L4 payload length, -1 unknown. */
  int payloadLength();

  /** IP length, -1 unknown. */
  int ipLength();

  int wireLength();

  /**
   * The table key of this packet's (hop, flow key): equal for every packet of both directions of
   * one flow on one hop, and only for those. May be a reused probe: the reducer calls {@link
   * #newTableKey()} for the key it stores.
   */
  Object tableKey();

  /** A key equal to {@link #tableKey()} that stays valid after the next packet. */
  Object newTableKey();

  // ---- read when a table entry or a direction is new

  String node();

  String pod();

  String iface();

  InterfaceRole role();

  /** The canonical flow key. */
  String flowKey();

  String src();

  String dst();

  // ---- the outermost encapsulation, read for folded packets

  /** The outermost encapsulation's type, null when the packet is not encapsulated. */
  EncapType encapType();

  /** Its outer source address text. */
  String outerSrc();

  /** Its outer destination address text. */
  String outerDst();

  int outerDport();

  // ---- read for a packet kept one by one

  /**
   * The summary published for this packet. {@code flow} (may be null) is the reducer's entry for
   * its flow on its hop: its {@link FlowTexts} may supply the flow key and Community ID already
   * written for an earlier packet of the flow, and are filled for later ones.
   */
  PacketSummary summary(FlowTexts flow);

  /** The key the summary is published under (an ICMP error: the flow it quotes). */
  String partitionKey();
}
