package io.hoptrace.deploy;

/** A manifest that cannot be read or does not validate; the message says where and why. */
public final class ManifestException extends RuntimeException {
  public ManifestException(String message) {
    super(message);
  }

  public ManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
