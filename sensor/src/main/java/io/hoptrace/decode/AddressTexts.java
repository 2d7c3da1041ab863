package io.hoptrace.decode;

/**
 * The text of recently seen addresses, so that a capture thread writes an address it has written
 * before without allocating: a direct-mapped cache (by {@link IpAddress#hash()}) of {@value #SLOTS}
 * addresses and their {@link IpAddress#toString()}. A node's packets come from a few thousand
 * addresses at most (its pods, services, peers' VTEPs), so nearly every lookup hits; a miss writes
 * the text and replaces the slot. Not thread-safe: one per capture thread.
 */
public final class AddressTexts {
  static final int SLOTS = 4096;

  private final IpAddress[] keys = new IpAddress[SLOTS];
  private final String[] texts = new String[SLOTS];

  public AddressTexts() {
    for (int i = 0; i < SLOTS; i++) {
      keys[i] = new IpAddress();
    }
  }

  /** The text of {@code a} ({@link IpAddress#toString()}: "" when unset). */
  public String of(IpAddress a) {
    int h = a.hash();
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    IpAddress k = keys[slot];
    String t = texts[slot];
    if (t != null && k.compareTo(a) == 0) {
      return t;
    }
    t = a.toString();
    k.set(a);
    texts[slot] = t;
    return t;
  }
}
