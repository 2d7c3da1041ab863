package io.hoptrace.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A size option's value: bytes, or with k, m, g (powers of 1024), e.g. 64m, 512k, 1g. */
final class ByteSize {
  private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})([kmg]?)");

  private ByteSize() {}

  /**
   * @param option the option's name, for the message
   * @throws IllegalArgumentException "OPTION TEXT: not a size (bytes, or with k, m, g)"
   */
  static long parse(String option, String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    try {
      if (!m.matches()) {
        throw new NumberFormatException();
      }
      int shift = m.group(2).isEmpty() ? 0 : 10 * ("kmg".indexOf(m.group(2)) + 1);
      long n = Long.parseLong(m.group(1));
      if (n > Long.MAX_VALUE >> shift) {
        throw new NumberFormatException();
      }
      return n << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option + " " + text + ": not a size (bytes, or with k, m, g)");
    }
  }
}
