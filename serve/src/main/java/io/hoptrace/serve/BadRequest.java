package io.hoptrace.serve;

/** A request the API refuses (HTTP 400); the message names the parameter and what is wrong. */
final class BadRequest extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BadRequest(String message, Throwable cause) {
    super(message, cause);
  }

  BadRequest(String message) {
    super(message);
  }
}
