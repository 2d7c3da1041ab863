package io.hoptrace.drops;

/** A drop watch cannot start or failed: the message is one line fit for the user. */
public final class DropWatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DropWatchException(String message) {
    super(message);
  }
}
