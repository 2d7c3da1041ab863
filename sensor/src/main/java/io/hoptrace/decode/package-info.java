/**
 * Packet decoding for the sensor's hot path.
 *
 * <p>{@link io.hoptrace.decode.PacketDecoder} (one per capture thread) walks a packet with one
 * flyweight per protocol layer ({@link io.hoptrace.decode.EthernetHeader}, {@link
 * io.hoptrace.decode.VlanTag}, {@link io.hoptrace.decode.SllHeader}, {@link
 * io.hoptrace.decode.Sll2Header}, {@link io.hoptrace.decode.Ipv4Header}, {@link
 * io.hoptrace.decode.Ipv6Header}, {@link io.hoptrace.decode.TcpHeader}, {@link
 * io.hoptrace.decode.UdpHeader}, {@link io.hoptrace.decode.IcmpHeader}, {@link
 * io.hoptrace.decode.Icmpv6Header}, {@link io.hoptrace.decode.DnsHeader} and the tunnel headers of
 * {@code io.hoptrace.decode.encap}) into a reused {@link io.hoptrace.decode.DecodedPacket}: zero
 * allocation per packet, and bad bytes give a {@link io.hoptrace.decode.DecodeStatus} (counted in
 * {@link io.hoptrace.decode.DecodeCounters}), never an exception.
 *
 * <p>On the publish path, {@link io.hoptrace.decode.SummaryMapper} turns a decoded packet into the
 * Avro {@code PacketSummary} with its canonical flow key ({@link io.hoptrace.decode.FlowKeys}),
 * Community ID ({@link io.hoptrace.decode.CommunityId}) and fingerprint ({@link
 * io.hoptrace.decode.Fingerprint}); {@link io.hoptrace.decode.SummaryMapper#partitionKey} gives the
 * Kafka key (an ICMP error is keyed by the flow it quotes).
 */
package io.hoptrace.decode;
