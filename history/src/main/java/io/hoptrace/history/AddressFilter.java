package io.hoptrace.history;

import io.hoptrace.contract.IpText;

/**
 * An address or prefix to match: an IPv4 address or CIDR (matched as a range of the {@code *_ip4}
 * columns), or an IPv6 address (matched as canonical text).
 */
public record AddressFilter(String text, long low, long high) {

  /**
   * Parses {@code IP} or {@code IPv4/LEN}.
   *
   * @throws IllegalArgumentException saying what is wrong with {@code value}
   */
  public static AddressFilter parse(String value) {
    String v = value == null ? "" : value.strip();
    int slash = v.indexOf('/');
    String ip = slash < 0 ? v : v.substring(0, slash);
    long addr = IpText.v4(ip);
    if (addr < 0) {
      if (slash < 0 && ip.indexOf(':') >= 0 && IpText.parse(ip) != null) {
        return new AddressFilter(IpText.canonical(ip), -1, -1);
      }
      if (slash >= 0 && ip.indexOf(':') >= 0) {
        throw new IllegalArgumentException(
            "'" + value + "': IPv6 prefixes are not supported (give one IPv6 address)");
      }
      throw new IllegalArgumentException("'" + value + "': not an IP address or IPv4 CIDR");
    }
    if (slash < 0) {
      return new AddressFilter(ip, addr, addr);
    }
    int len;
    try {
      len = Integer.parseInt(v.substring(slash + 1));
    } catch (NumberFormatException e) {
      len = -1;
    }
    if (len < 0 || len > 32) {
      throw new IllegalArgumentException("'" + value + "': prefix length must be 0..32");
    }
    long mask = len == 0 ? 0 : (0xFFFFFFFFL << (32 - len)) & 0xFFFFFFFFL;
    long low = addr & mask;
    return new AddressFilter(v, low, low | (~mask & 0xFFFFFFFFL));
  }

  /** Whether an address (text as records carry it) matches. */
  public boolean matches(String address) {
    if (address == null) {
      return false;
    }
    if (isV6()) {
      return text.equals(IpText.canonical(address));
    }
    long a = IpText.v4(address);
    return a >= low && a <= high;
  }

  /** Whether this is an IPv6 address (matched as text). */
  public boolean isV6() {
    return low < 0;
  }

  /**
   * A SQL condition on one (address text, IPv4 number) column pair: a range of the number column,
   * or for IPv6 equality of the text. A condition on one column is one DuckDB pushes into the
   * Parquet scan, where row groups' min/max statistics skip what cannot match.
   */
  String condition(String text, String ip4) {
    if (isV6()) {
      return text + " = " + Sql.quote(this.text);
    }
    return ip4 + " BETWEEN " + low + " AND " + high;
  }
}
