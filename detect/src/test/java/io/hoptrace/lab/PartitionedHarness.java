package io.hoptrace.lab;

import io.hoptrace.contract.FlowKey;
import io.hoptrace.detect.AlertAggregator;
import io.hoptrace.detect.Codecs;
import io.hoptrace.detect.DeadlineTimers;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.DetectionOutput;
import io.hoptrace.detect.Finding;
import io.hoptrace.detect.FindingOrder;
import io.hoptrace.detect.FlowDetector;
import io.hoptrace.detect.FlowStores;
import io.hoptrace.detect.net.Ip;
import io.hoptrace.detect.state.InMemoryStateStore;
import io.hoptrace.route.NatLinkScanner;
import io.hoptrace.route.NatLinks;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.IcmpInfo;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketSummary;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The two stages as a partitioned host runs them, in one thread: {@code tasks} stage-1 cores, each
 * fed the summaries of its partition (routed by conversation key, as a replay publishes them), each
 * with its own clock and timers; and stage 2 behind a {@link FindingOrder}, fed each task's
 * findings and progress/end-of-input markers in task order but with the tasks' outputs interleaved
 * at random (seeded), as the partitions of a repartition topic arrive.
 */
public final class PartitionedHarness implements Harness {
  private static final long SECOND = 1_000_000_000L;

  private final DetectionConfig cfg = DetectionConfig.defaults();
  private final List<NodeInventory> nodes = new ArrayList<>();
  private final List<Alert> alerts = new ArrayList<>();
  private final List<FlowRecord> flows = new ArrayList<>();
  private final List<Task> tasks = new ArrayList<>();
  private final FindingOrder order;
  private final Random random;

  /** One stage-1 task and what it sent to stage 2 that stage 2 has not read yet. */
  private final class Task {
    final int id;
    final FlowStores stores = FlowStores.inMemory();
    final DeadlineTimers timers = new DeadlineTimers(stores.deadlines());
    final ArrayDeque<Runnable> outbox = new ArrayDeque<>();
    final FlowDetector core;
    final int weight;
    long second = Long.MIN_VALUE;

    Task(int id, int weight) {
      this.id = id;
      this.weight = weight;
      this.core =
          new FlowDetector(
              cfg,
              stores,
              timers,
              () -> nodes,
              new DetectionOutput() {
                @Override
                public void flow(FlowRecord r) {
                  flows.add(r);
                }

                @Override
                public void finding(Finding f) {
                  outbox.add(() -> order.onFinding(f));
                }
              });
    }

    /** A punctuation: timers due fired, then the progress marker. */
    void advanceTo(long t) {
      core.advanceTo(t);
      timers.fireDue(core.now(), core);
      long now = core.now();
      if (now != Long.MIN_VALUE) {
        outbox.add(() -> order.onProgress(id, now, 0));
      }
    }
  }

  /**
   * @param tasks stage-1 tasks (partitions)
   * @param seed how their outputs interleave at stage 2
   */
  public PartitionedHarness(int tasks, long seed) {
    this.random = new Random(seed);
    AlertAggregator stage2 =
        new AlertAggregator(cfg, new InMemoryStateStore<>(Codecs.aggregate()), alerts::add);
    this.order =
        new FindingOrder(
            tasks,
            Long.MAX_VALUE,
            new InMemoryStateStore<>(Codecs.finding()),
            new InMemoryStateStore<>(Codecs.longValue()),
            stage2);
    for (int i = 0; i < tasks; i++) {
      this.tasks.add(new Task(i, 1 << random.nextInt(7)));
    }
  }

  @Override
  public void nodes(List<NodeInventory> n) {
    nodes.clear();
    nodes.addAll(n);
  }

  /** Drop records, each to the partition of its flow key (no NAT: keyed as its summaries). */
  @Override
  public void drops(List<io.hoptrace.schema.KernelDrop> drops) {
    for (io.hoptrace.schema.KernelDrop k : drops) {
      tasks.get(Math.floorMod(k.getFlowKey().hashCode(), tasks.size())).core.onDrop(k);
    }
  }

  /** Summaries in the order a replay publishes them, each to its conversation's partition. */
  @Override
  public void send(List<PacketSummary> packets) {
    NatLinks links = natLinks(packets);
    for (PacketSummary p : packets) {
      String key = flowKey(p);
      Task t =
          tasks.get(key == null ? 0 : Math.floorMod(links.route(key).hashCode(), tasks.size()));
      t.core.onPacket(p);
      long s = Math.floorDiv(p.getTsNanos(), SECOND);
      if (s != t.second) {
        t.second = s;
        t.advanceTo(p.getTsNanos());
      }
      deliverSome();
    }
  }

  private NatLinks natLinks(List<PacketSummary> packets) {
    NatLinkScanner scanner = new NatLinkScanner(2 * cfg.nanos(DetectionConfig.NAT_LINK_WINDOW_MS));
    for (PacketSummary p : packets) {
      String key = flowKey(p);
      if (key != null) {
        scanner.add(p, key);
      }
    }
    return scanner.build();
  }

  /** The sensor's partition key: the flow key, for an ICMP error the flow it quotes. */
  private static String flowKey(PacketSummary p) {
    if (p.getIpVersion() == 0 || p.getSrc() == null || p.getDst() == null) {
      return null;
    }
    IcmpInfo icmp = p.getIcmp();
    if (icmp != null && FlowKey.keyedByQuotedFlow(p.getProto(), icmp.getType())) {
      FiveTuple q = FlowKey.quotedFlow(icmp);
      if (q != null) {
        return FlowKey.key(
            q.getProto(),
            Ip.canonical(q.getSrc()),
            q.getSport(),
            Ip.canonical(q.getDst()),
            q.getDport());
      }
    }
    return FlowKey.key(
        p.getProto(),
        Ip.canonical(p.getSrc()),
        p.getSport(),
        Ip.canonical(p.getDst()),
        p.getDport());
  }

  /**
   * Stage 2 reads a random number of records from random tasks' outputs, some tasks' much less
   * often than others' (their findings arrive late).
   */
  private void deliverSome() {
    for (int n = random.nextInt(3); n > 0; n--) {
      List<Task> waiting = tasks.stream().filter(t -> !t.outbox.isEmpty()).toList();
      if (waiting.isEmpty()) {
        return;
      }
      int total = waiting.stream().mapToInt(t -> t.weight).sum();
      int pick = random.nextInt(total);
      for (Task t : waiting) {
        pick -= t.weight;
        if (pick < 0) {
          t.outbox.poll().run();
          break;
        }
      }
    }
  }

  private void deliverAll() {
    while (tasks.stream().anyMatch(t -> !t.outbox.isEmpty())) {
      deliverSome();
    }
  }

  @Override
  public void idle(long nanos) {
    for (Task t : tasks) {
      if (t.core.now() != Long.MIN_VALUE) {
        t.advanceTo(t.core.now() + nanos);
      }
    }
    deliverAll();
  }

  @Override
  public void finish() {
    for (Task t : tasks) {
      t.timers.fireDue(t.core.endOfInput(), t.core);
      int id = t.id;
      t.outbox.add(() -> order.onEndOfInput(id, 0));
    }
    deliverAll();
  }

  @Override
  public List<Alert> alerts() {
    return alerts;
  }

  @Override
  public List<FlowRecord> flows() {
    return flows;
  }

  @Override
  public void close() {}
}
