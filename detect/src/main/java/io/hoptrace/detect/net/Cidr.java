package io.hoptrace.detect.net;

/** An IP prefix such as {@code 10.244.1.0/24}; a bare address is a host prefix. */
public final class Cidr {
  private final byte[] network;
  private final int length;

  private Cidr(byte[] network, int length) {
    this.network = network;
    this.length = length;
  }

  /** Parses {@code addr/len} or a bare address; null if it does not parse. */
  public static Cidr parse(String text) {
    if (text == null) {
      return null;
    }
    byte[] b = Ip.parse(text);
    if (b == null) {
      return null;
    }
    int slash = text.indexOf('/');
    int len = b.length * 8;
    if (slash >= 0) {
      try {
        len = Integer.parseInt(text.substring(slash + 1).trim());
      } catch (NumberFormatException e) {
        return null;
      }
      if (len < 0 || len > b.length * 8) {
        return null;
      }
    }
    return new Cidr(b, len);
  }

  public boolean contains(byte[] addr) {
    if (addr == null || addr.length != network.length) {
      return false;
    }
    int full = length / 8;
    for (int i = 0; i < full; i++) {
      if (addr[i] != network[i]) {
        return false;
      }
    }
    int rest = length % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (addr[full] & mask) == (network[full] & mask);
  }

  public boolean contains(String addr) {
    return contains(Ip.parse(addr));
  }

  /** The IPv4 broadcast address of this prefix (all host bits set), or null (IPv6, /31, /32). */
  public String broadcast() {
    if (network.length != 4 || length > 30) {
      return null;
    }
    byte[] b = network.clone();
    for (int bit = length; bit < 32; bit++) {
      b[bit / 8] |= (byte) (0x80 >>> (bit % 8));
    }
    return Ip.format(b);
  }

  /** The address part in canonical text. */
  public String address() {
    return Ip.format(network);
  }
}
