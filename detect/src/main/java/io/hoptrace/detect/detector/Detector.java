package io.hoptrace.detect.detector;

import io.hoptrace.detect.Conversation;
import io.hoptrace.detect.Setting;
import io.hoptrace.schema.AlertType;
import java.util.List;
import java.util.Set;

/**
 * One detector of stage 1: raises one {@link AlertType} from the conversations it sees. The core
 * ({@link io.hoptrace.detect.FlowDetector}) owns what all detectors share — tuples, hop slots and
 * their per-packet accounting, packet settlement (where packets were lost), NAT linking, the
 * conversation's life and timers — and calls every registered detector, in the order their {@link
 * #after()} declarations give, with the detector's own state slice {@code S} of the conversation.
 *
 * <p>Detectors do not call each other. What one tells another goes through the conversation's
 * findings context ({@link Conversation#explainLoss}, read with {@link
 * Conversation#lossExplainedUntil}): a detector reading it declares the writers in {@link
 * #after()}, and the registry orders evaluation accordingly (and rejects cycles).
 *
 * <p>Instances are made per core instance from its configuration and hold no per-conversation
 * state: all of that is in the slice, which the host persists through {@link #codec()}.
 *
 * @param <S> the detector's state slice of a conversation; {@code Void} for detectors without any
 */
public interface Detector<S> {
  /** The alert this detector raises and how stage 2 treats it. */
  AlertSpec alert();

  /** Settings this detector declares (key, default, doc, validation), for configuration. */
  List<Setting<?>> settings();

  /**
   * Persisted id of this detector's slice in a conversation: unique, never reused, never derived
   * from an ordinal.
   */
  int stateCode();

  /** Alert types whose detectors must evaluate a conversation before this one. */
  default Set<AlertType> after() {
    return Set.of();
  }

  /** A fresh slice for a new conversation; null for detectors without state. */
  S newState();

  /** The slice's codec; null iff {@link #newState()} is null. */
  SliceCodec<S> codec();

  /**
   * A packet of the conversation (not a duplicate), after the core's accounting; on the hot path:
   * no allocation, no lookups by string.
   */
  default void onPacket(DetectorContext ctx, Conversation c, PacketView p, S state) {}

  /**
   * Packets of the conversation that a sensor folded into counters (reduced summaries), after the
   * core's accounting: what the detector counts per packet it counts here in bulk (per-packet
   * decisions are made on the packets sent one by one).
   */
  default void onCounters(DetectorContext ctx, Conversation c, CountersView v, S state) {}

  /** An ICMP error about the conversation (not a duplicate), after the core's bookkeeping. */
  default void onIcmpError(DetectorContext ctx, Conversation c, IcmpErrorView e, S state) {}

  /**
   * Judges the conversation at event time {@code t}; {@code fin}: its last evaluation (it ends).
   */
  default void evaluate(DetectorContext ctx, Conversation c, S state, long t, boolean fin) {}

  /**
   * The earliest event time after {@code t} at which {@link #evaluate} may decide something new
   * without a packet arriving; {@link Long#MAX_VALUE} for none. The core wakes the conversation at
   * the minimum over the core and all detectors.
   */
  default long nextDeadline(DetectorContext ctx, Conversation c, S state, long t) {
    return Long.MAX_VALUE;
  }

  /**
   * The conversation ends ({@code reason} "expired") or is merged into another by a NAT link
   * ("merged into ID"): resolve what is still reported, flush what is pending.
   */
  default void end(DetectorContext ctx, Conversation c, S state, String reason) {}

  /** Takes over the slice of a conversation merged into this one (both in one orientation). */
  default void absorb(S keep, S gone) {}

  /**
   * The conversation's initiator and responder swap: swap whatever the slice keeps per direction.
   */
  default void flip(S state) {}

  /**
   * The conversation's verdict as this detector sees it (e.g. {@code "ONE_WAY"}), or null; the flow
   * record carries the verdict of lowest {@link #verdictRank()} among the core's and the
   * detectors'.
   */
  default String verdict(Conversation c, S state) {
    return null;
  }

  /** Rank of {@link #verdict}: REJECTED is 10, UNREACHABLE 40, LOSSY 50, OK last. */
  default int verdictRank() {
    return Integer.MAX_VALUE;
  }

  /**
   * The window (ns) this detector reads settled-loss counters over; the core keeps them over the
   * smallest such window.
   */
  default long lossWindowNanos() {
    return Long.MAX_VALUE;
  }

  /** How far (ns) end of input must move event time for this detector's windows to drain. */
  default long drainNanos() {
    return 0;
  }
}
