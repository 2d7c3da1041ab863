package io.hoptrace.capture;

/**
 * An interface a capture file describes: the single implicit interface of a classic pcap file, or
 * one pcapng Interface Description Block.
 *
 * @param linkType the LINKTYPE of its packets, normalised with {@link LinkType#normalize}
 * @param snaplen the snapshot length (0 when unlimited or unknown)
 * @param name the {@code if_name} option of a pcapng IDB, else null
 * @param description the {@code if_description} option of a pcapng IDB, else null
 */
public record CaptureInterface(int linkType, int snaplen, String name, String description) {

  /** An interface without a description. */
  public CaptureInterface(int linkType, int snaplen, String name) {
    this(linkType, snaplen, name, null);
  }
}
