package io.hoptrace.publish;

/** No Kafka answered at the bootstrap address ({@link KafkaCheck}); the message says why. */
public final class KafkaUnreachableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KafkaUnreachableException(String message) {
    super(message);
  }

  public KafkaUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
