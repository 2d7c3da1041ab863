package io.hoptrace.detect;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration setting, declared once: key, default, documentation and validation.
 *
 * @param <T> value type
 */
public final class Setting<T> {
  private final String key;
  private final T defaultValue;
  private final String doc;
  private final Function<String, T> parser;
  private final Predicate<T> validator;
  private final String constraint;

  Setting(
      String key,
      T defaultValue,
      String doc,
      Function<String, T> parser,
      Predicate<T> validator,
      String constraint) {
    this.key = Objects.requireNonNull(key);
    this.defaultValue = Objects.requireNonNull(defaultValue);
    this.doc = Objects.requireNonNull(doc);
    this.parser = Objects.requireNonNull(parser);
    this.validator = Objects.requireNonNull(validator);
    this.constraint = Objects.requireNonNull(constraint);
    if (!validator.test(defaultValue)) {
      throw new IllegalArgumentException("default of " + key + " violates " + constraint);
    }
  }

  public String key() {
    return key;
  }

  public T defaultValue() {
    return defaultValue;
  }

  public String doc() {
    return doc;
  }

  /** Human-readable constraint, e.g. {@code >= 1}. */
  public String constraint() {
    return constraint;
  }

  /** Parses and validates a textual value. */
  public T parse(String text) {
    T value;
    try {
      value = parser.apply(text.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "invalid value '" + text + "' for " + key + ": " + e.getMessage(), e);
    }
    if (!validator.test(value)) {
      throw new IllegalArgumentException(
          "invalid value '" + text + "' for " + key + ": must be " + constraint);
    }
    return value;
  }
}
