package io.hoptrace.history;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time given on the command line: an ISO-8601 instant ({@code 2026-12-04T13:10:00Z}), a
 * date-time or date without zone (UTC: {@code 2026-12-04T13:10}, {@code 2026-12-04}), or an age
 * before now ({@code 90s}, {@code 15m}, {@code 6h}, {@code 2d}).
 */
public final class TimeArg {
  private static final Pattern AGE = Pattern.compile("(\\d+)([smhd])");

  private TimeArg() {}

  /**
   * Parses {@code text} relative to {@code now}.
   *
   * @throws IllegalArgumentException saying what is wrong with {@code text}
   */
  public static Instant parse(String text, Instant now) {
    String t = text == null ? "" : text.strip();
    Matcher m = AGE.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
      return now.minus(d);
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      // not an instant with zone: try without
    }
    try {
      return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // nor a local date-time
    }
    try {
      return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "': not a time (ISO-8601 such as 2026-12-04T13:10:00Z, a UTC date or date-time,"
              + " or an age such as 15m, 6h, 2d)");
    }
  }
}
