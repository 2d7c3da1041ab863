package io.hoptrace.capture;

import java.util.Locale;

/** Why a capture reader passed over a block or record without delivering a packet. */
public enum SkipReason {
  /** pcapng Name Resolution Block. */
  NAME_RESOLUTION(false),
  /** pcapng Interface Statistics Block. */
  INTERFACE_STATISTICS(false),
  /** pcapng Decryption Secrets Block. */
  DECRYPTION_SECRETS(false),
  /** pcapng custom or systemd-journal block. */
  CUSTOM(false),
  /** A block type this reader does not know. */
  UNKNOWN_BLOCK_TYPE(false),
  /** A packet block naming an interface the section has not described (corrupt or cut file). */
  UNKNOWN_INTERFACE(true),
  /**
   * A packet block whose captured length does not fit in the block (negative, huge, or larger than
   * the block).
   */
  BAD_PACKET_LENGTH(true);

  private final boolean packetLost;

  SkipReason(boolean packetLost) {
    this.packetLost = packetLost;
  }

  /**
   * Whether a packet of the capture was lost (a corrupt packet block), as opposed to a block that
   * holds no packet.
   */
  public boolean packetLost() {
    return packetLost;
  }

  /** The reason in words, e.g. "unknown interface". */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
