package io.hoptrace.detect;

import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
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

  /** A duration in ms, > 0. */
  public static Setting<Long> ms(String key, long def, String doc) {
    return new Setting<>(key, def, doc + " (ms)", Long::parseLong, v -> v > 0, "> 0");
  }

  /** A duration in ns, >= 0. */
  public static Setting<Long> nanos(String key, long def, String doc) {
    return new Setting<>(key, def, doc + " (ns)", Long::parseLong, v -> v >= 0, ">= 0");
  }

  /** A count, >= 1. */
  public static Setting<Long> count(String key, long def, String doc) {
    return new Setting<>(key, def, doc, Long::parseLong, v -> v >= 1, ">= 1");
  }

  /** A ratio between 0 and 1. */
  public static Setting<Double> ratio(String key, double def, String doc) {
    return new Setting<>(
        key, def, doc, Double::parseDouble, v -> v >= 0 && v <= 1, "between 0 and 1");
  }

  /** true or false. */
  public static Setting<Boolean> bool(String key, boolean def, String doc) {
    return new Setting<>(
        key,
        def,
        doc,
        t -> {
          if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("not a boolean");
          }
          return Boolean.parseBoolean(t);
        },
        v -> true,
        "true or false");
  }

  /** Comma-separated ports. */
  public static Setting<Set<Integer>> ports(String key, String def, String doc) {
    return new Setting<>(
        key,
        parsePorts(def),
        doc + " Comma-separated.",
        Setting::parsePorts,
        v -> v.stream().allMatch(p -> p >= 0 && p <= 65535),
        "ports between 0 and 65535");
  }

  static Set<Integer> parsePorts(String text) {
    Set<Integer> out = new TreeSet<>();
    Arrays.stream(text.split(","))
        .map(String::trim)
        .filter(t -> !t.isEmpty())
        .forEach(t -> out.add(Integer.parseInt(t)));
    return Collections.unmodifiableSet(out);
  }
}
