package io.hoptrace.schema;

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

  /** Adds {@value #TRUSTED_PREFIX} to Avro's trusted classes; idempotent and thread-safe. */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
    ClassSecurityPredicate hoptrace = AvroTrust::isHoptraceSchemaClass;
    ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous, hoptrace));
    installed = true;
  }

  static boolean isHoptraceSchemaClass(Class<?> type) {
    return type.getName().startsWith(TRUSTED_PREFIX);
  }
}
