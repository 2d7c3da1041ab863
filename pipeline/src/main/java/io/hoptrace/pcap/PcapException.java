package io.hoptrace.pcap;

/** {@code hoptrace pcap} cannot give its file; the message is one line for the user. */
public final class PcapException extends RuntimeException {
  public PcapException(String message) {
    super(message);
  }
}
