package io.hoptrace.capture;

/**
 * A capture file (or stream) that cannot be read at all: empty, not a pcap/pcapng file, unreadable.
 * The message is one human-readable line, fit to print as is.
 */
public final class CaptureFileException extends Exception {
  private static final long serialVersionUID = 1L;

  public CaptureFileException(String message) {
    super(message);
  }

  public CaptureFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
