package io.hoptrace.capture;

/** A live capture that cannot start (no such interface, no permission, bad filter...). */
public final class LiveCaptureException extends Exception {
  private static final long serialVersionUID = 1L;

  public LiveCaptureException(String message) {
    super(message);
  }

  public LiveCaptureException(String message, Throwable cause) {
    super(message, cause);
  }
}
