package io.hoptrace.flink.state;

import io.hoptrace.detect.HopInfo;
import io.hoptrace.detect.state.InMemoryStateStore;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * What stage 1 keeps per task rather than per key, as the Kafka Streams host keeps it per task: the
 * hops sensors reported (for path planning, they are facts about the cluster, not about one
 * conversation) and the core's bookkeeping entries ({@link AliasStore}). In memory, written to
 * union operator state at each checkpoint: after a restore (at any parallelism) every subtask gets
 * the union, a superset of what it knew.
 */
public final class SubtaskStores {
  private final InMemoryStateStore<String, HopInfo> hops = new InMemoryStateStore<>();
  private final InMemoryStateStore<String, String> bookkeeping = new InMemoryStateStore<>();
  private ListState<HopInfo> hopsState;
  private ListState<Tuple2<String, String>> bookkeepingState;

  public InMemoryStateStore<String, HopInfo> hops() {
    return hops;
  }

  public InMemoryStateStore<String, String> bookkeeping() {
    return bookkeeping;
  }

  /** Registers the operator state and restores from it (CheckpointedFunction#initializeState). */
  public void initialize(FunctionInitializationContext ctx) throws Exception {
    hopsState =
        ctx.getOperatorStateStore()
            .getUnionListState(
                new ListStateDescriptor<>("hops", StateCodec.HOP.<HopInfo>serializer()));
    bookkeepingState =
        ctx.getOperatorStateStore()
            .getUnionListState(
                new ListStateDescriptor<>("bookkeeping", Types.TUPLE(Types.STRING, Types.STRING)));
    if (ctx.isRestored()) {
      for (HopInfo h : hopsState.get()) {
        hops.put(h.hop(), h);
      }
      for (Tuple2<String, String> e : bookkeepingState.get()) {
        bookkeeping.put(e.f0, e.f1);
      }
    }
  }

  /** Writes the stores to operator state (CheckpointedFunction#snapshotState). */
  public void snapshot() throws Exception {
    List<HopInfo> h = new ArrayList<>();
    hops.forEach((k, v) -> h.add(v));
    hopsState.update(h);
    List<Tuple2<String, String>> b = new ArrayList<>();
    bookkeeping.forEach((k, v) -> b.add(Tuple2.of(k, v)));
    bookkeepingState.update(b);
  }
}
