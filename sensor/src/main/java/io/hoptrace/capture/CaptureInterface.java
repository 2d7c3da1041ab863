package io.hoptrace.capture;

/**
 * An interface a capture file describes: the single implicit interface of a classic pcap file, or
 * one pcapng Interface Description Block.
 *
 * @param linkType the LINKTYPE of its packets, normalised with {@link LinkType#normalize}
 * @param snaplen the snapshot length (0 when unlimited or unknown)
 * @param name the {@code if_name} option of a pcapng IDB, else null
 */
public record CaptureInterface(int linkType, int snaplen, String name) {}
