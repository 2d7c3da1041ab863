package io.hoptrace.detect.detector;

import io.hoptrace.detect.Alerts;
import io.hoptrace.detect.Conversation;
import io.hoptrace.detect.Finding;
import io.hoptrace.detect.state.StateIn;
import io.hoptrace.detect.state.StateOut;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Stage-1 state of one per-flow alert of a conversation (what stage 2 was told), and the state
 * machine that reports it: FIRING when it becomes active, updates with a new count at most once a
 * second, RESOLVED when it clears or the conversation ends.
 */
public final class FlowAlert {
  private static final long SECOND = 1_000_000_000L;

  public boolean active;
  public long firstSeen = -1;
  public long count;
  public long reportedCount;
  public long lastReport = -1;
  public String reportedKey;

  /**
   * While the condition holds but the first report waits for the loss to be localised (packets in
   * flight to settle): since when, -1 if not waiting. Persisted only by the codecs that use it.
   */
  public long heldSince = -1;

  /**
   * Reports the condition {@code active} at t; {@code details} builds the FIRING alert, {@code
   * aggKey} its stage-2 key (both asked for only when a finding is sent: a conversation is judged
   * at every packet and timer, and most judgements send nothing).
   */
  public void report(
      DetectorContext ctx,
      Conversation c,
      AlertType type,
      boolean nowActive,
      Supplier<String> aggKey,
      long t,
      Supplier<Alert> details) {
    if (nowActive) {
      if (!active) {
        Alert a = details.get();
        active = true;
        firstSeen = t;
        reportedKey = aggKey.get();
        reportedCount = a.getCount();
        lastReport = t;
        a.setFirstSeen(t);
        a.setLastSeen(Math.max(t, c.lastSeen));
        ctx.out().finding(new Finding(reportedKey, Finding.Kind.STATE, c.id(), a));
      } else if (t - lastReport >= SECOND) {
        Alert a = details.get();
        if (a.getCount() != reportedCount) {
          reportedCount = a.getCount();
          lastReport = t;
          a.setFirstSeen(firstSeen);
          a.setLastSeen(Math.max(t, c.lastSeen));
          ctx.out().finding(new Finding(reportedKey, Finding.Kind.STATE, c.id(), a));
        }
      }
    } else if (active) {
      resolve(ctx, c, type, "cleared");
    }
  }

  /** Resolves the alert if active (cleared, expired, merged into another conversation). */
  public void resolve(DetectorContext ctx, Conversation c, AlertType type, String reason) {
    if (!active) {
      return;
    }
    active = false;
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("resolvedBy", reason);
    facts.put("flow", c.first().text());
    Alert r =
        Alerts.build(
            type,
            AlertStatus.RESOLVED,
            Alerts.flowSubject(c),
            null,
            reportedCount,
            "",
            firstSeen,
            Math.max(c.lastSeen, firstSeen),
            List.of(),
            List.of(),
            Map.of(),
            facts,
            Alerts.communityIds(c));
    ctx.out().finding(new Finding(reportedKey, Finding.Kind.STATE, c.id(), r));
  }

  /** Writes the fields in the layout of conversation formats 1 and 2 (and slice version 1). */
  public void write(StateOut o) {
    o.w.bool(active);
    o.ts(firstSeen);
    o.w.varLong(count).varLong(reportedCount);
    o.ts(lastReport);
    o.w.str(reportedKey);
  }

  /** Reads what {@link #write} wrote. */
  public void read(StateIn in) {
    active = in.r.bool();
    firstSeen = in.ts();
    count = in.r.varLong();
    reportedCount = in.r.varLong();
    lastReport = in.ts();
    reportedKey = in.r.str();
  }

  /** A slice codec for detectors whose whole slice is one {@link FlowAlert}. */
  static final SliceCodec<FlowAlert> CODEC =
      new SliceCodec<>() {
        @Override
        public int version() {
          return 1;
        }

        @Override
        public void write(StateOut out, FlowAlert state) {
          state.write(out);
        }

        @Override
        public void read(StateIn in, int version, FlowAlert into) {
          into.read(in);
        }
      };
}
