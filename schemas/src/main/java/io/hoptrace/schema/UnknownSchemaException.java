package io.hoptrace.schema;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record whose writer schema fingerprint is in no schema store this reader knows: written by a
 * newer producer whose schema was not shipped to this reader, or by something that is not hoptrace.
 * Hosts count these and skip the record.
 */
public class UnknownSchemaException extends SerializationException {

  private static final long serialVersionUID = 1L;

  private final long fingerprint;

  public UnknownSchemaException(String message, long fingerprint, Throwable cause) {
    super(message, cause);
    this.fingerprint = fingerprint;
  }

  /** The writer schema's CRC-64-AVRO fingerprint read from the record. */
  public long fingerprint() {
    return fingerprint;
  }
}
