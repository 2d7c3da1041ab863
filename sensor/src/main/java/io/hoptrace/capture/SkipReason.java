package io.hoptrace.capture;

/** Why a capture reader passed over a block or record without delivering a packet. */
public enum SkipReason {
  /** pcapng Name Resolution Block. */
  NAME_RESOLUTION,
  /** pcapng Interface Statistics Block. */
  INTERFACE_STATISTICS,
  /** pcapng Decryption Secrets Block. */
  DECRYPTION_SECRETS,
  /** pcapng custom or systemd-journal block. */
  CUSTOM,
  /** A block type this reader does not know. */
  UNKNOWN_BLOCK_TYPE,
  /** A packet block naming an interface the section has not described. */
  UNKNOWN_INTERFACE,
  /** A packet block whose captured length does not fit in the block. */
  BAD_PACKET_LENGTH
}
