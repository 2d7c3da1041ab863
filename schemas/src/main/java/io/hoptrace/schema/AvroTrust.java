package io.hoptrace.schema;

import org.apache.avro.SystemLimitException;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Makes Avro trust hoptrace's generated classes. Avro 1.12 refuses to instantiate classes outside
 * its built-in allow-list while decoding ("class is not trusted") unless the JVM runs with {@code
 * -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.hoptrace.schema}; this adds the package to Avro's
 * global predicate instead, so callers need no flag. {@link AvroSerde} calls it at class
 * initialisation; code decoding with Avro directly calls {@link #install()} first.
 */
public final class AvroTrust {

  /** The package (with trailing dot) whose classes are trusted. */
  public static final String TRUSTED_PREFIX = "io.hoptrace.schema.";

  private static boolean installed;

  private AvroTrust() {}

  /**
   * Most items a decoded array or map may claim (Avro's {@code
   * org.apache.avro.limits.collectionItems.maxLength}). Avro's generated decoders allocate an array
   * of the claimed size before reading an item, so 10 garbage bytes claiming 2^30 items ran the JVM
   * out of memory (found by AvroDecodeFuzzTest). Every item takes at least a byte and a Kafka
   * record is at most ~1 MiB by default: no real record comes near this.
   */
  static final int MAX_COLLECTION_ITEMS = 1 << 20;

  /** Longest string or bytes value a record may claim (Avro allocates it before reading). */
  static final int MAX_STRING_BYTES = 16 << 20;

  /**
   * Adds {@value #TRUSTED_PREFIX} to Avro's trusted classes and bounds what a record may claim
   * ({@link #MAX_COLLECTION_ITEMS}, {@link #MAX_STRING_BYTES}; unless set on the command line, and
   * only if Avro has not read its limits yet: codecs call this first); idempotent and thread-safe.
   */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    limit(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MAX_COLLECTION_ITEMS);
    limit(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_STRING_BYTES);
    limit(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, MAX_STRING_BYTES);
    ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
    ClassSecurityPredicate hoptrace = AvroTrust::isHoptraceSchemaClass;
    ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous, hoptrace));
    installed = true;
  }

  private static void limit(String property, int value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, Integer.toString(value));
    }
  }

  static boolean isHoptraceSchemaClass(Class<?> type) {
    return type.getName().startsWith(TRUSTED_PREFIX);
  }
}
