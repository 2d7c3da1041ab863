package io.hoptrace.capture;

import io.hoptrace.schema.InterfaceRole;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The role of an interface on a packet's path (SPEC §3), inferred from its name, its kind when
 * known, and whether it sits in a pod's network namespace; explicit {@code name=ROLE} mappings win.
 *
 * <p>Name rules: {@code lo} → ANY; {@code veth*}, {@code cali*}, {@code lxc*} → VETH; {@code cni0},
 * {@code cbr0}, {@code docker0} → BRIDGE; {@code flannel.*}, {@code vxlan.calico}, {@code vxlan*},
 * {@code genev_sys_*}, {@code cilium_vxlan} → VTEP; {@code tunl0} → TUNNEL; any other interface in
 * a pod namespace → POD; else the kind ({@code bridge}, {@code vxlan}/{@code geneve}, {@code
 * ipip}/{@code sit}/{@code gre}...) decides, and then UPLINK. A {@code veth} kind alone says
 * nothing: the node's own {@code eth0} is a veth on kind/Docker-based clusters.
 */
public final class InterfaceRoles {

  private static final InterfaceRoles DEFAULTS = new InterfaceRoles(Map.of());

  private final Map<String, InterfaceRole> overrides;

  private InterfaceRoles(Map<String, InterfaceRole> overrides) {
    this.overrides = Map.copyOf(overrides);
  }

  /** The name rules only. */
  public static InterfaceRoles defaults() {
    return DEFAULTS;
  }

  /** The name rules, with {@code overrides} (interface name → role) taking precedence. */
  public static InterfaceRoles withOverrides(Map<String, InterfaceRole> overrides) {
    Objects.requireNonNull(overrides, "overrides");
    return new InterfaceRoles(overrides);
  }

  /**
   * Parses {@code name=ROLE} mappings (role case-insensitive, e.g. {@code ens33=uplink}).
   *
   * @throws IllegalArgumentException naming the bad entry and the valid roles
   */
  public static InterfaceRoles parse(Collection<String> mappings) {
    Map<String, InterfaceRole> m = new LinkedHashMap<>();
    for (String s : mappings) {
      int eq = s == null ? -1 : s.indexOf('=');
      if (eq <= 0 || eq == s.length() - 1) {
        throw new IllegalArgumentException(
            "interface role mapping must be name=ROLE, got '" + s + "'");
      }
      String name = s.substring(0, eq).trim();
      String role = s.substring(eq + 1).trim().toUpperCase(Locale.ROOT);
      try {
        m.put(name, InterfaceRole.valueOf(role));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown interface role '"
                + s.substring(eq + 1)
                + "' in '"
                + s
                + "' (one of "
                + java.util.Arrays.toString(InterfaceRole.values())
                + ")",
            e);
      }
    }
    return new InterfaceRoles(m);
  }

  /** The explicit mappings. */
  public Map<String, InterfaceRole> overrides() {
    return overrides;
  }

  /** Role of an interface in the host namespace, from its name. */
  public InterfaceRole roleOf(String name) {
    return roleOf(name, null, false);
  }

  /**
   * Role of an interface.
   *
   * @param kind the link kind from {@code ip -d link} ({@code veth}, {@code vxlan}, ...), or null
   * @param inPodNamespace true when the interface lives in a pod's network namespace
   */
  public InterfaceRole roleOf(String name, String kind, boolean inPodNamespace) {
    Objects.requireNonNull(name, "name");
    InterfaceRole explicit = overrides.get(name);
    if (explicit != null) {
      return explicit;
    }
    if (name.equals("lo")) {
      return InterfaceRole.ANY;
    }
    if (inPodNamespace) {
      return InterfaceRole.POD;
    }
    InterfaceRole byName = byName(name);
    if (byName != null) {
      return byName;
    }
    InterfaceRole byKind = kind == null ? null : byKind(kind);
    return byKind != null ? byKind : InterfaceRole.UPLINK;
  }

  private static InterfaceRole byName(String n) {
    if (n.startsWith("veth") || n.startsWith("cali") || n.startsWith("lxc")) {
      return InterfaceRole.VETH;
    }
    if (n.equals("cni0") || n.equals("cbr0") || n.equals("docker0")) {
      return InterfaceRole.BRIDGE;
    }
    if (n.startsWith("flannel.")
        || n.startsWith("vxlan")
        || n.startsWith("genev_sys_")
        || n.equals("cilium_vxlan")
        || n.equals("cilium_geneve")) {
      return InterfaceRole.VTEP;
    }
    if (n.equals("tunl0")) {
      return InterfaceRole.TUNNEL;
    }
    return null;
  }

  private static InterfaceRole byKind(String kind) {
    return switch (kind) {
      case "bridge" -> InterfaceRole.BRIDGE;
      case "vxlan", "geneve" -> InterfaceRole.VTEP;
      case "ipip", "sit", "ip6tnl", "gre", "gretap", "ip6gre", "ip6gretap", "wireguard" ->
          InterfaceRole.TUNNEL;
      default -> null;
    };
  }
}
