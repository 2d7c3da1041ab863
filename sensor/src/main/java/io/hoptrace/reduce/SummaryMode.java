package io.hoptrace.reduce;

import java.util.Locale;

/**
 * What a sensor (or a replay, as its sensors would) publishes on the packets topic: {@link #FULL},
 * one summary per captured packet per hop, or {@link #REDUCED}, the {@link Reducer}'s per-packet
 * summaries and counters (docs/detection.md, "Reduced summaries"). The option is {@code --summaries
 * reduced|full}.
 */
public enum SummaryMode {
  FULL,
  REDUCED;

  /** The mode {@code --summaries} takes when not given. */
  public static final SummaryMode DEFAULT = REDUCED;

  /**
   * Parses an option value, {@code reduced} or {@code full} (any case).
   *
   * @throws IllegalArgumentException naming the option and the values it takes
   */
  public static SummaryMode parse(String option, String value) {
    if (value != null) {
      for (SummaryMode m : values()) {
        if (m.name().equalsIgnoreCase(value.trim())) {
          return m;
        }
      }
    }
    throw new IllegalArgumentException(
        option + " must be 'reduced' or 'full', not '" + value + "'");
  }

  /** The option value: {@code reduced} or {@code full}. */
  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * {@code "R records sent (S summaries, C counters, reduced)"}: what a sensor or a replay sent in
   * this mode, for closing lines.
   */
  public String describe(long summaries, long counters) {
    return (summaries + counters)
        + " records sent ("
        + summaries
        + " summaries, "
        + counters
        + " counters, "
        + optionValue()
        + ")";
  }
}
