package io.hoptrace.reduce;

import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.PacketSummary;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a sensor publishes in reduced mode for summaries already in memory (tests, benchmarks): the
 * records in publishing order ({@link PacketSummary} and {@link FlowHopCounters}) and the reducer's
 * stats.
 */
public record Reduced(List<SpecificRecord> records, ReducerStats stats) {

  /** Runs a {@link Reducer} (interface MTUs unknown) over {@code in} to its end of input. */
  public static Reduced of(List<PacketSummary> in, ReducerConfig cfg) {
    List<SpecificRecord> out = new ArrayList<>();
    Reducer r =
        new Reducer(
            cfg,
            new Reducer.Output() {
              @Override
              public void summary(ReducerPacket p, FlowTexts flow) {
                out.add(p.summary(flow));
              }

              @Override
              public void counters(FlowHopCounters c) {
                out.add(c);
              }
            },
            Reducer.MtuLookup.UNKNOWN);
    in.forEach(r::offer);
    r.finish();
    return new Reduced(out, r.stats());
  }
}
