package io.hoptrace.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures several interfaces at once, one thread per interface, all through libpcap in this
 * process (pcap4j {@code loop} with a raw-packet listener): interfaces of the sensor's own network
 * namespace directly, interfaces inside other namespaces (a pod's {@code eth0}, a node's namespace
 * in the lab) with the handle opened on a thread moved into that namespace ({@link Netns}). No
 * child process per interface; every interface has libpcap's received/dropped counters.
 *
 * <p>Handlers: each interface gets the handler {@code handlerFor.apply(hop)} returns, called only
 * from that interface's thread. Returning one shared handler for every hop is allowed, but then it
 * must be thread-safe. Handler exceptions are counted in {@link LiveStats#handlerErrors()} and the
 * capture goes on.
 *
 * <p>{@link #close()} breaks every loop ({@code pcap_breakloop}, so an idle interface returns too),
 * joins the threads and then closes the handles.
 *
 * <pre>{@code
 * try (LiveCapture c = LiveCapture.builder(LiveCaptureConfig.defaults())
 *     .iface(new HopContext("node1", null, "flannel.1", InterfaceRole.VTEP))
 *     .iface(new HopContext("node1", null, "ens33", InterfaceRole.UPLINK))
 *     .start(hop -> new MyHandler(hop))) { ... }
 * }</pre>
 */
public final class LiveCapture implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LiveCapture.class);
  private static final long JOIN_MILLIS = 10_000;

  private final List<CaptureSource> sources;
  private final List<Thread> threads = new ArrayList<>();
  private boolean closed;

  private LiveCapture(List<CaptureSource> sources) {
    this.sources = sources;
  }

  public static Builder builder(LiveCaptureConfig config) {
    return new Builder(config);
  }

  /** Collects the interfaces to capture. */
  public static final class Builder {
    private final LiveCaptureConfig config;
    private final List<HopContext> hostHops = new ArrayList<>();
    private final List<NetnsTarget> namespaces = new ArrayList<>();

    private Builder(LiveCaptureConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** A host-namespace interface, {@code hop.iface()}. */
    public Builder iface(HopContext hop) {
      hostHops.add(Objects.requireNonNull(hop, "hop"));
      namespaces.add(null);
      return this;
    }

    /** The interface {@code hop.iface()} inside the network namespace {@code netns}. */
    public Builder netnsIface(NetnsTarget netns, HopContext hop) {
      hostHops.add(Objects.requireNonNull(hop, "hop"));
      namespaces.add(Objects.requireNonNull(netns, "netns"));
      return this;
    }

    /**
     * Opens every interface (all or none: if one fails the others are closed again) and starts one
     * capture thread each.
     *
     * @param handlerFor the handler of each interface's thread (see the class comment)
     * @throws LiveCaptureException naming the interface that could not be opened
     */
    public LiveCapture start(Function<HopContext, PacketHandler> handlerFor)
        throws LiveCaptureException {
      Objects.requireNonNull(handlerFor, "handlerFor");
      if (hostHops.isEmpty()) {
        throw new LiveCaptureException("no interface to capture on");
      }
      List<CaptureSource> opened = new ArrayList<>();
      try {
        for (int i = 0; i < hostHops.size(); i++) {
          HopContext hop = hostHops.get(i);
          PacketHandler h = Objects.requireNonNull(handlerFor.apply(hop), "handler for " + hop);
          NetnsTarget ns = namespaces.get(i);
          opened.add(
              ns == null
                  ? PcapLiveSource.open(hop, config, h)
                  : PcapLiveSource.openIn(ns, hop, config, h));
        }
      } catch (LiveCaptureException | RuntimeException e) {
        opened.forEach(CaptureSource::close);
        throw e;
      }
      LiveCapture c = new LiveCapture(List.copyOf(opened));
      c.startThreads();
      return c;
    }

    /** Starts with one shared handler for every interface: it must be thread-safe. */
    public LiveCapture startShared(PacketHandler threadSafeHandler) throws LiveCaptureException {
      Objects.requireNonNull(threadSafeHandler, "threadSafeHandler");
      return start(hop -> threadSafeHandler);
    }
  }

  private void startThreads() {
    for (CaptureSource s : sources) {
      Thread t = new Thread(s::run, "hoptrace-capture-" + s.hop().id());
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** The hops being captured, in the order given. */
  public List<HopContext> hops() {
    return sources.stream().map(CaptureSource::hop).toList();
  }

  /** Counters of every source (libpcap's received/dropped/ifdropped and our delivered count). */
  public synchronized List<LiveStats> stats() {
    List<LiveStats> out = new ArrayList<>(sources.size());
    for (int i = 0; i < sources.size(); i++) {
      out.add(sources.get(i).stats(!closed && threads.get(i).isAlive()));
    }
    return out;
  }

  /** Stops every capture (break the loops, join the threads) and releases the handles. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (CaptureSource s : sources) {
      try {
        s.stop();
      } catch (RuntimeException e) {
        LOG.warn("stopping capture on {} failed: {}", s.hop().id(), e.toString());
      }
    }
    for (int i = 0; i < sources.size(); i++) {
      Thread t = threads.get(i);
      try {
        t.join(JOIN_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        // closing a pcap handle whose loop still runs would deadlock: leave it to the daemon thread
        LOG.warn(
            "capture thread of {} did not stop; leaving its handle open",
            sources.get(i).hop().id());
      } else {
        sources.get(i).close();
      }
    }
  }
}
