package io.hoptrace.reduce;

import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.PacketSummary;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What a sensor publishes, in front of a {@link RecordSink}: in {@link SummaryMode#FULL} every
 * summary as offered; in {@link SummaryMode#REDUCED} through a {@link Reducer}. A packet kept one
 * by one goes out under the key it was offered with (an ICMP error under the flow it quotes); a
 * counters record under {@code route(flowKey)}, the key the same flow's packets are offered with,
 * so both kinds of a conversation land on one partition in the order the reducer emitted them.
 * Calls are serialized (a live sensor's wall-clock ticker calls {@link #advanceTo} from another
 * thread than the capture).
 */
public final class ReducingSink {
  private final Reducer reducer;
  private final RecordSink out;
  private final SummaryPacket summaries = new SummaryPacket();

  /**
   * Reduced mode: {@link #ReducingSink(SummaryMode, ReducerConfig, Reducer.MtuLookup,
   * UnaryOperator, RecordSink)}.
   */
  public ReducingSink(
      ReducerConfig cfg, Reducer.MtuLookup mtus, UnaryOperator<String> route, RecordSink out) {
    this(SummaryMode.REDUCED, cfg, mtus, route, out);
  }

  /**
   * @param mode full: every summary passes as offered (the other settings unused)
   * @param route the key a flow key's packets are published under (identity without NAT routing)
   */
  public ReducingSink(
      SummaryMode mode,
      ReducerConfig cfg,
      Reducer.MtuLookup mtus,
      UnaryOperator<String> route,
      RecordSink out) {
    Objects.requireNonNull(route, "route");
    this.out = Objects.requireNonNull(out, "out");
    this.reducer =
        mode == SummaryMode.FULL
            ? null
            : new Reducer(
                cfg,
                new Reducer.Output() {
                  @Override
                  public void summary(ReducerPacket p, FlowTexts flow) {
                    String key = p.partitionKey();
                    out.summary(key, p.summary(flow));
                  }

                  @Override
                  public void counters(FlowHopCounters c) {
                    out.counters(route.apply(c.getFlowKey()), c);
                  }
                },
                mtus);
  }

  /** One captured packet's summary and the key it would be published under in full mode. */
  public synchronized void offer(String key, PacketSummary p) {
    if (reducer == null) {
      out.summary(key, p);
      return;
    }
    reducer.offer(summaries.wrap(key, p));
  }

  /**
   * One captured packet not yet summarised (a live sensor's decoded flyweight): in reduced mode
   * only a packet kept becomes a summary; in full mode every one does.
   */
  public synchronized void offer(ReducerPacket p) {
    if (reducer == null) {
      out.summary(p.partitionKey(), p.summary(null));
      return;
    }
    reducer.offer(p);
  }

  /** Moves time (wall clock of a live sensor): emits the counters of past intervals. */
  public synchronized void advanceTo(long nowNanos) {
    if (reducer != null) {
      reducer.advanceTo(nowNanos);
    }
  }

  /** End of input: emits every pending counter. */
  public synchronized void finish() {
    if (reducer != null) {
      reducer.finish();
    }
  }

  /** The reducer's stats (full mode: all zero). */
  public synchronized ReducerStats stats() {
    return reducer == null ? new ReducerStats() : reducer.stats();
  }
}
