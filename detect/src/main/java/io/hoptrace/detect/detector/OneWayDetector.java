package io.hoptrace.detect.detector;

import io.hoptrace.detect.Alerts;
import io.hoptrace.detect.Conversation;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.DirLoss;
import io.hoptrace.detect.Hints;
import io.hoptrace.detect.PathPlanner;
import io.hoptrace.detect.Setting;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ONE_WAY: requests without replies for {@code oneway.window.ms}, or packets of a direction lost
 * between two hops while none got through. Suppressed while a specific cause (MTU black hole,
 * misdirected encapsulation) explains the loss: it runs after those detectors and reads {@link
 * Conversation#lossExplainedUntil()}. Request tracking ({@code firstUnanswered}) is the core's.
 */
public final class OneWayDetector extends BaseDetector<FlowAlert> {
  public static final Setting<Long> WINDOW_MS =
      Setting.ms(
          "oneway.window.ms",
          10_000,
          "A flow that sends where a reply is expected and sees no reply for this long is"
              + " ONE_WAY.");
  public static final Setting<Long> MIN_LOST =
      Setting.count(
          "oneway.return.min.lost",
          1,
          "Replies lost between two hops (and none delivered) in the window that make a"
              + " return-path ONE_WAY.");

  static final AlertSpec ALERT =
      new AlertSpec(
          AlertType.ONE_WAY,
          Severity.CRITICAL,
          AlertSpec.Stage2.PER_MEMBER,
          null,
          null,
          "a flow's packets get no reply or die between two hops");
  static final Detectors.Registration REGISTRATION =
      new Detectors.Registration(ALERT, List.of(WINDOW_MS, MIN_LOST), OneWayDetector::new);

  private final long windowNs;
  private final long minLost;

  public OneWayDetector(DetectionConfig cfg) {
    super(ALERT, REGISTRATION, 1, Set.of(AlertType.MTU_BLACKHOLE, AlertType.VTEP_MISMATCH));
    this.windowNs = cfg.nanos(WINDOW_MS);
    this.minLost = cfg.get(MIN_LOST);
  }

  @Override
  public FlowAlert newState() {
    return new FlowAlert();
  }

  @Override
  public SliceCodec<FlowAlert> codec() {
    return FlowAlert.CODEC;
  }

  @Override
  public long lossWindowNanos() {
    return windowNs;
  }

  @Override
  public long drainNanos() {
    return windowNs;
  }

  @Override
  public String verdict(Conversation c, FlowAlert s) {
    return s.active ? "ONE_WAY" : null;
  }

  @Override
  public int verdictRank() {
    return 20;
  }

  @Override
  public long nextDeadline(DetectorContext ctx, Conversation c, FlowAlert s, long t) {
    long dl = Long.MAX_VALUE;
    for (int d = 0; d < 2; d++) {
      if (c.firstUnanswered[d] >= 0 && !s.active) {
        dl = Math.min(dl, c.firstUnanswered[d] + windowNs);
      }
    }
    if (s.active) {
      dl = Math.min(dl, Paths.nextBoundary(t, ctx.lossWindowNanos()));
    }
    return dl;
  }

  @Override
  public void end(DetectorContext ctx, Conversation c, FlowAlert s, String reason) {
    s.resolve(ctx, c, AlertType.ONE_WAY, reason);
  }

  @Override
  public void evaluate(DetectorContext ctx, Conversation c, FlowAlert s, long t, boolean fin) {
    long ex = c.lossExplainedUntil();
    boolean suppressed =
        ex >= 0
            && (t - ex < 2 * windowNs
                || (c.firstUnanswered[0] >= 0 && c.firstUnanswered[0] <= ex)
                || (c.firstUnanswered[1] >= 0 && c.firstUnanswered[1] <= ex));
    long minWindowNs = ctx.lossWindowNanos();
    boolean eligible =
        !suppressed && !c.rejected && !ctx.tunnelFlow(c) && !(c.dnsFlow && !ctx.oneWayDns());
    boolean noReply0 = c.firstUnanswered[0] >= 0 && t - c.firstUnanswered[0] >= windowNs;
    boolean noReply1 = c.firstUnanswered[1] >= 0 && t - c.firstUnanswered[1] >= windowNs;
    boolean lostAll0 = lostAll(c, c.loss[0], t, minWindowNs);
    boolean lostAll1 = lostAll(c, c.loss[1], t, minWindowNs);
    // localised loss decides before the window ends, once answers had time to arrive; ICMP
    // errors about the flow are answers (ICMP_UNREACHABLE covers them)
    boolean icmpAnswered = c.lastIcmpTs >= 0 && t - c.lastIcmpTs < windowNs;
    boolean fwdLost =
        lostAll0
            && !icmpAnswered
            && c.firstUnanswered[0] >= 0
            && t - c.firstUnanswered[0] >= ctx.latenessNanos();
    boolean revLost = lostAll1 && !icmpAnswered && c.lastDirTs[0] >= 0;
    boolean active = eligible && (noReply0 || noReply1 || fwdLost || revLost);
    int dir = fwdLost ? 0 : revLost ? 1 : noReply0 ? 0 : 1;
    s.report(
        ctx,
        c,
        AlertType.ONE_WAY,
        active,
        () -> "ONE_WAY|" + c.id(),
        t,
        () -> oneWayAlert(ctx, c, t, dir, (dir == 0 ? fwdLost : revLost)));
  }

  private boolean lostAll(Conversation c, DirLoss dl, long t, long minWindowNs) {
    return c.requested
        && dl.lost.sum(t, minWindowNs) >= minLost
        && dl.delivered.sum(t, minWindowNs) == 0;
  }

  private Alert oneWayAlert(DetectorContext ctx, Conversation c, long t, int d, boolean lost) {
    long minWindowNs = ctx.lossWindowNanos();
    List<PathPlanner.PathHop> path = ctx.planner().plan(c, d);
    DirLoss dl = c.loss[d];
    String after;
    String before;
    if (lost || (dl.lastLostTs >= 0 && t - dl.lastLostTs <= 2 * windowNs)) {
      after = dl.lostAfter;
      before = dl.lostBefore;
    } else {
      after = dl.lastHop != null ? dl.lastHop : Paths.lastObserved(c, d);
      before = null;
    }
    String hint = Hints.lostAt(c, d, after, before, path, ctx.inventory());
    long count = c.unanswered[d] + dl.lost.sum(t, minWindowNs);
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("unansweredRequests", c.unanswered[0]);
    counts.put("lostForward", c.loss[0].lost.sum(t, minWindowNs));
    counts.put("deliveredForward", c.loss[0].delivered.sum(t, minWindowNs));
    counts.put("lostReverse", c.loss[1].lost.sum(t, minWindowNs));
    counts.put("deliveredReverse", c.loss[1].delivered.sum(t, minWindowNs));
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("direction", d == 0 ? "forward" : "reverse");
    facts.put("flow", c.first().text());
    if (c.wrongSourceVtep(d) != null) {
      facts.put("vtep", c.wrongSourceVtep(d)); // the VTEP fault explains it: one incident
    }
    if (c.tuples.size() > 1) {
      facts.put("tuples", String.valueOf(c.tuples.size()));
    }
    return Alerts.build(
        AlertType.ONE_WAY,
        AlertStatus.FIRING,
        Alerts.flowSubject(c),
        Alerts.lostAt(after, before, d),
        Math.max(1, count),
        hint,
        t,
        t,
        Paths.hopsSeen(c, path, d),
        before == null ? List.of() : Paths.hopsAfter(path, after),
        counts,
        facts,
        Alerts.communityIds(c));
  }
}
