package io.hoptrace.drops;

/**
 * Drops the kernel counted in one interval for one key: network namespace (inode), device, reason
 * and flow.
 *
 * @param netns the inode of the device's network namespace (0 when the packet had no device)
 * @param iface the device name (empty when the packet had no device, e.g. a socket's queue)
 * @param reasonCode the kernel's {@code enum skb_drop_reason} value
 * @param reason its name on this kernel (e.g. {@code NETFILTER_DROP})
 * @param ethertype the packet's {@code skb->protocol} (0x0800 IPv4, 0x86dd IPv6, ...)
 * @param outer the packet's own IPv4 header and ports; null when it is not IPv4
 * @param encap {@code vxlan}, {@code geneve}, {@code ipip}, or null when not encapsulated
 * @param inner the encapsulated packet's flow; null when not encapsulated or not IPv4 inside
 * @param count packets dropped in the interval
 */
public record DropRecord(
    long netns,
    String iface,
    int reasonCode,
    String reason,
    int ethertype,
    DropFlow outer,
    String encap,
    DropFlow inner,
    long count) {

  /**
   * The flow the user cares about: the inner one when encapsulated (null when the inner packet is
   * not IPv4, e.g. ARP or IPv6 neighbour discovery inside VXLAN), else the packet's own.
   */
  public DropFlow flow() {
    return encap != null ? inner : outer;
  }

  /** The outer flow when the packet was encapsulated, else null. */
  public DropFlow tunnel() {
    return encap != null ? outer : null;
  }
}
