package io.hoptrace.detect;

import io.hoptrace.detect.state.StateStore;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.AlertType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks the inventory itself: VTEP addresses claimed by several nodes, FDB entries pointing to no
 * node's VTEP. Emits state findings when that changes, remembering what it reported under a
 * bookkeeping key of the aliases store. Findings of several tasks about one inventory are identical
 * state findings, which stage 2 deduplicates.
 */
final class InventoryAudit {
  private static final String INVENTORY_FINDINGS = "#inventory-findings";

  private final StateStore<String, String> aliases;
  private final DetectionOutput out;

  InventoryAudit(StateStore<String, String> aliases, DetectionOutput out) {
    this.aliases = aliases;
    this.out = out;
  }

  /** Reports what changed in the inventory's own findings, at event time t. */
  void check(InventoryIndex inventory, long t) {
    Map<String, Alert> current = new TreeMap<>();
    inventory
        .duplicateVtepClaims()
        .forEach(
            (addr, claim) -> {
              Map<String, String> facts = new LinkedHashMap<>();
              facts.put("kind", "duplicate-vtep");
              facts.put("claimants", String.join(",", claim));
              AlertSubject s =
                  AlertSubject.newBuilder().setKind("VTEP").setVtep(addr).setDst(addr).build();
              current.put(
                  entry("VTEP|dup|" + addr, "inventory"),
                  Alerts.build(
                      AlertType.VTEP_MISMATCH,
                      AlertStatus.FIRING,
                      s,
                      null,
                      claim.size(),
                      addr
                          + " is claimed as VTEP address by "
                          + String.join(", ", claim)
                          + ": the VTEPs registered a non-unique (e.g. NAT-only) address; set the"
                          + " tunnel interface/public IP explicitly",
                      t,
                      t,
                      List.of(),
                      List.of(),
                      Map.of("claimants", (long) claim.size()),
                      facts,
                      List.of()));
            });
    for (InventoryIndex.BadFdb f : inventory.badFdbEntries()) {
      Map<String, String> facts = new LinkedHashMap<>();
      facts.put("kind", "bad-fdb");
      facts.put("device", f.device());
      facts.put("mac", f.mac());
      AlertSubject s =
          AlertSubject.newBuilder()
              .setKind("VTEP")
              .setNode(f.node())
              .setVtep(f.dst())
              .setDst(f.dst())
              .build();
      // the subject of traffic encapsulated to that address (VtepNote.UNKNOWN_DST): one alert
      current.put(
          entry("VTEP|dst|" + f.dst(), "inventory|" + f.node() + "|" + f.device()),
          Alerts.build(
              AlertType.VTEP_MISMATCH,
              AlertStatus.FIRING,
              s,
              null,
              1,
              "FDB/neighbour entry of "
                  + f.device()
                  + " on "
                  + f.node()
                  + " points to "
                  + f.dst()
                  + " (MAC "
                  + f.mac()
                  + "), which is no node's VTEP address",
              t,
              t,
              List.of(),
              List.of(),
              Map.of(),
              facts,
              List.of()));
    }
    String before = aliases.get(INVENTORY_FINDINGS);
    Set<String> previous = new LinkedHashSet<>();
    if (before != null && !before.isEmpty()) {
      previous.addAll(Arrays.asList(before.split("\n")));
    }
    for (Map.Entry<String, Alert> e : current.entrySet()) {
      if (!previous.contains(e.getKey())) {
        String[] km = keyAndMember(e.getKey());
        out.finding(new Finding(km[0], Finding.Kind.STATE, km[1], e.getValue()));
      }
    }
    for (String entry : previous) {
      if (!current.containsKey(entry)) {
        String[] km = keyAndMember(entry);
        Alert gone =
            Alerts.build(
                AlertType.VTEP_MISMATCH,
                AlertStatus.RESOLVED,
                AlertSubject.newBuilder().setKind("VTEP").build(),
                null,
                0,
                "",
                t,
                t,
                List.of(),
                List.of(),
                Map.of(),
                Map.of(),
                List.of());
        out.finding(new Finding(km[0], Finding.Kind.STATE, km[1], gone));
      }
    }
    if (!previous.equals(current.keySet())) {
      aliases.put(INVENTORY_FINDINGS, String.join("\n", current.keySet()));
    }
  }

  /** An inventory finding as remembered between checks: its subject key and its member. */
  private static String entry(String key, String member) {
    return key + "\t" + member;
  }

  private static String[] keyAndMember(String entry) {
    int tab = entry.indexOf('\t');
    return tab < 0
        ? new String[] {entry, "inventory"}
        : new String[] {entry.substring(0, tab), entry.substring(tab + 1)};
  }
}
