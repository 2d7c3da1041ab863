package io.hoptrace.detect;

import io.hoptrace.schema.NodeInventory;

/**
 * The node inventory one core instance judges with: read from the host's {@link InventorySource} at
 * most once a second of event time (an unchanged inventory, by its signature, keeps its index), and
 * checked itself ({@link InventoryAudit}: bad FDB entries, ...) whenever it changed. Before any
 * event time is known the audit's findings wait for it, so that they carry event time.
 */
final class InventoryTracker {
  private static final long SECOND = 1_000_000_000L;

  private final InventorySource source;
  private final InventoryAudit audit;
  private final StampedOutput out;
  private InventoryIndex index = InventoryIndex.EMPTY;

  /** The inventory changed and its own findings are not yet emitted. */
  private boolean unchecked;

  private long checkedAt = Long.MIN_VALUE;

  InventoryTracker(InventorySource source, InventoryAudit audit, StampedOutput out) {
    this.source = source;
    this.audit = audit;
    this.out = out;
  }

  /** The inventory as last read. */
  InventoryIndex index() {
    return index;
  }

  /** Reads the inventory again if a second of event time passed; audits it if it changed. */
  void refresh(long now) {
    if (checkedAt != Long.MIN_VALUE && now - checkedAt < SECOND) {
      return;
    }
    read(now);
    if (unchecked) {
      audit(now);
    }
  }

  /** Reads the inventory now and audits it, changed or not. */
  void check(long now) {
    read(now);
    unchecked = true;
    audit(now);
  }

  private void read(long now) {
    checkedAt = now;
    Iterable<NodeInventory> nodes = source.nodes();
    if (InventoryIndex.signatureOf(nodes) != index.signature()) {
      index = new InventoryIndex(nodes);
      unchecked = true;
    }
  }

  private void audit(long now) {
    if (now == Long.MIN_VALUE) {
      return;
    }
    unchecked = false;
    out.at = now;
    out.conv = null;
    audit.check(index, now);
  }
}
