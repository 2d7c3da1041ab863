package io.hoptrace.flink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 1's operator: {@link FlowStage} with the node inventory as broadcast state, judging no
 * packet before the nodes topic has been read up to where it ended when the job started ({@link
 * InventoryEnd}). Flink orders nothing between a keyed and a broadcast input: a job started on full
 * topics would otherwise judge packets against an empty or partial inventory (false VTEP_MISMATCH,
 * wrong expected paths). Kafka Streams restores its global nodes store before it processes
 * anything; this is the same guarantee per subtask.
 *
 * <p>Until this subtask's broadcast input has reached every partition's last record (the offsets of
 * the records it read are broadcast state, so a restored subtask knows how far it was):
 *
 * <ul>
 *   <li>packets wait in keyed state (each with a sequence number of this subtask, so a restore at
 *       any parallelism keeps every key's packets with its key group), not judged;
 *   <li>the packets input's watermark is held back (the last one kept in memory: the sources emit a
 *       newer one anyway), so no event-time timer fires and event time does not run ahead of the
 *       waiting packets; processing-time timers can only be those of restored keys, and find the
 *       event clock (not checkpointed) not yet started.
 * </ul>
 *
 * Then the waiting packets are judged in the order they arrived, and the held watermark follows
 * them. A checkpoint without this operator's state (taken before it existed) restores as ready.
 */
final class InventoryFirst
    extends CoBroadcastWithKeyedOperator<String, PacketIn, NodeUpdate, FindingIn> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(InventoryFirst.class);

  /** The largest offset read of each nodes partition (broadcast state: alike on every subtask). */
  static final MapStateDescriptor<Integer, Long> READ =
      new MapStateDescriptor<>("nodes-read", Types.INT, Types.LONG);

  /** The packets waiting under the current key, by sequence number: (record timestamp, packet). */
  static final MapStateDescriptor<Long, Tuple2<Long, PacketIn>> WAITING =
      new MapStateDescriptor<>(
          "waiting-packets",
          Types.LONG,
          Types.TUPLE(Types.LONG, TypeInformation.of(PacketIn.class)));

  /** The next sequence number (union: the largest of all subtasks after a restore). */
  private static final ListStateDescriptor<Long> NEXT =
      new ListStateDescriptor<>("waiting-next", Types.LONG);

  private final InventoryEnd end;
  private transient BroadcastState<Integer, Long> read;
  private transient MapState<Long, Tuple2<Long, PacketIn>> waiting;
  private transient ListState<Long> nextState;
  private transient long next;
  private transient boolean ready;
  private transient boolean mayWait;
  private transient Watermark held;

  InventoryFirst(FlowStage stage, InventoryEnd end) {
    super(stage, List.of(BroadcastInventory.DESCRIPTOR));
    this.end = end;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    read = context.getOperatorStateStore().getBroadcastState(READ);
    nextState = context.getOperatorStateStore().getUnionListState(NEXT);
    waiting = context.getKeyedStateStore().getMapState(WAITING);
    boolean ours = false;
    for (Long n : nextState.get()) {
      ours = true;
      next = Math.max(next, n);
    }
    ready = (context.isRestored() && !ours) || end.reachedBy(readSoFar());
    mayWait = context.isRestored();
    if (!ready) {
      LOG.info(
          "stage 1 subtask {}: judging packets once the nodes topic is read up to {} (read: {})",
          getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
          end.lastOffsets(),
          readSoFar());
    }
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    nextState.update(List.of(next));
  }

  @Override
  public void processElement1(StreamRecord<PacketIn> r) throws Exception {
    if (!ready) {
      waiting.put(next++, Tuple2.of(r.getTimestamp(), r.getValue()));
      mayWait = true;
      return;
    }
    if (mayWait) {
      Object key = getCurrentKey();
      release();
      setCurrentKey(key);
    }
    super.processElement1(r);
  }

  @Override
  public void processElement2(StreamRecord<NodeUpdate> r) throws Exception {
    super.processElement2(r);
    NodeUpdate u = r.getValue();
    if (u.offset >= 0) {
      Long at = read.get(u.partition);
      if (at == null || u.offset > at) {
        read.put(u.partition, u.offset);
      }
    }
    if (!ready && end.reachedBy(readSoFar())) {
      ready = true;
      release();
    }
  }

  @Override
  public void processWatermark1(Watermark mark) throws Exception {
    if (!ready) {
      held = mark;
      return;
    }
    if (mayWait) {
      release();
    }
    super.processWatermark1(mark);
  }

  private Map<Integer, Long> readSoFar() throws Exception {
    Map<Integer, Long> m = new HashMap<>();
    for (Map.Entry<Integer, Long> e : read.entries()) {
      m.put(e.getKey(), e.getValue());
    }
    return m;
  }

  /** Judges the waiting packets in the order they arrived, then lets the held watermark through. */
  private void release() throws Exception {
    mayWait = false;
    List<String> keys;
    org.apache.flink.runtime.state.KeyedStateBackend<String> backend = getKeyedStateBackend();
    try (Stream<String> s = backend.getKeys(WAITING.getName(), VoidNamespace.INSTANCE)) {
      keys = s.toList();
    }
    List<Map.Entry<Long, String>> order = new ArrayList<>();
    for (String k : keys) {
      setCurrentKey(k);
      for (Long seq : waiting.keys()) {
        order.add(Map.entry(seq, k));
      }
    }
    order.sort(Map.Entry.comparingByKey());
    if (!order.isEmpty()) {
      LOG.info(
          "stage 1 subtask {}: nodes topic read up to {}; judging {} waiting packet(s)",
          getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
          end.lastOffsets(),
          order.size());
    }
    for (Map.Entry<Long, String> e : order) {
      setCurrentKey(e.getValue());
      Tuple2<Long, PacketIn> p = waiting.get(e.getKey());
      waiting.remove(e.getKey());
      super.processElement1(new StreamRecord<>(p.f1, p.f0));
    }
    if (held != null) {
      Watermark w = held;
      held = null;
      super.processWatermark1(w);
    }
  }
}
