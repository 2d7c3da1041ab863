package io.hoptrace.reduce;

/**
 * Texts of one flow written once for the first summary kept of it on a hop and reused for the next
 * ones: the canonical flow key and the Community ID (both the same for both directions).
 */
public class FlowTexts {
  /** The canonical flow key, null until known. */
  public String flowKey;

  /** The Community ID, null until written. */
  public String communityId;
}
