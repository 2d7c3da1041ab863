package io.hoptrace.cli;

import io.hoptrace.capture.CaptureFileException;
import io.hoptrace.capture.CaptureFileReader;
import io.hoptrace.capture.CaptureStats;
import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.InterfaceRoles;
import io.hoptrace.capture.LiveCapture;
import io.hoptrace.capture.LiveCaptureConfig;
import io.hoptrace.capture.LiveStats;
import io.hoptrace.capture.NetnsTarget;
import io.hoptrace.discovery.AutoCapture;
import io.hoptrace.discovery.AutoLiveCapture;
import io.hoptrace.discovery.DiscoveredHop;
import io.hoptrace.discovery.ExcludeFilter;
import io.hoptrace.discovery.HopDiscovery;
import io.hoptrace.discovery.PodNaming;
import io.hoptrace.drops.SensorDrops;
import io.hoptrace.evidence.HopRings;
import io.hoptrace.evidence.RingResponder;
import io.hoptrace.inventory.InventoryCollector;
import io.hoptrace.inventory.InventoryWatcher;
import io.hoptrace.metrics.SensorMetrics;
import io.hoptrace.pipeline.PipelineConfig;
import io.hoptrace.publish.PublisherConfig;
import io.hoptrace.publish.SensorPipeline;
import io.hoptrace.publish.SummaryPublisher;
import io.hoptrace.reduce.InventoryMtus;
import io.hoptrace.reduce.Reducer;
import io.hoptrace.reduce.ReducerConfig;
import io.hoptrace.reduce.SummaryMode;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.TopicSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hoptrace sensor}: captures packet headers on a node's interfaces (or replays capture
 * files), decodes them and publishes one summary per packet, keyed by the canonical inner flow key,
 * plus the node's inventory.
 */
@Command(
    name = "sensor",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Captures packet headers on this node's interfaces (live, libpcap; needs root or"
          + " CAP_NET_RAW+CAP_NET_ADMIN) or replays capture files (--pcap), decodes every packet"
          + " (VXLAN 4789/8472, Geneve, IP-in-IP, GRE inner packets included) and publishes to"
          + " the packets topic, keyed by the canonical inner flow key, a summary per packet"
          + " (--summaries full) or, by default, the packets detection needs one by one and"
          + " per hop/flow/direction counters for the rest (--summaries reduced), and the node"
          + " inventory to the compacted nodes topic. No payload leaves the node"
          + " (snaplen 256 by default; summaries hold headers only).",
      "",
      "Live:   hoptrace sensor --node node-a --iface flannel.1 --iface ens33 --bootstrap kafka:9092",
      "Replay: hoptrace sensor --pcap a-ens33.pcap --node node-a --iface ens33 --bootstrap"
          + " localhost:9092"
    })
final class SensorCommand implements Callable<Integer> {

  /** Replay blocks up to this long on a full producer buffer before counting a failure. */
  static final long REPLAY_MAX_BLOCK_MS = 120_000;

  /** {@code --auto}: the hops are discovered again this often (new pods captured within it). */
  static final long AUTO_REFRESH_MILLIS = 2_000;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--node", required = true, description = "This node's name.")
  String node;

  @Option(
      names = "--bootstrap",
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers (required but with --auto --dry-run).")
  String bootstrap;

  @Option(
      names = "--iface",
      paramLabel = "IFACE",
      description =
          "Interface to capture on (repeatable). With --pcap: the interface name recorded for the"
              + " files (one for all, or one per file in order).")
  List<String> ifaces = new ArrayList<>();

  @Option(
      names = "--netns",
      paramLabel = "NETNS",
      description =
          "Live: the node's interfaces (--iface) live in this named network namespace (e.g. a"
              + " lab node, or a sensor container without host networking); they are captured"
              + " in this process, its capture threads entering the namespace (setns), and the"
              + " inventory is read with `ip -n NETNS`.")
  String netns;

  @Option(
      names = "--pod-iface",
      paramLabel = "POD=NETNS:IFACE",
      description =
          "An interface inside a pod's network namespace (repeatable), captured in this process"
              + " by a thread that enters the namespace (setns); NETNS is a name under"
              + " /var/run/netns or a /proc/PID/ns/net path. Its hop id is node/POD/IFACE and its"
              + " role POD.")
  List<String> podIfaces = new ArrayList<>();

  @Option(
      names = "--auto",
      description =
          "Live: find this node's hops instead of --iface/--pod-iface: uplinks (global address or"
              + " default route), VTEPs and tunnels (vxlan, geneve, ipip... by kind or name),"
              + " bridges, pod-side veths (peer in another namespace) and each pod's own interface"
              + " (the veth's peer, in its namespace under /var/run/netns or /proc/PID/ns/net)."
              + " Pods are named after their namespace (see --pod-netns-prefix); hops are found"
              + " again every 2 s: new ones captured, gone ones stopped.")
  boolean auto;

  @Option(
      names = "--dry-run",
      description =
          "With --auto: print the hops it would capture as JSON lines (hop, iface, role, netns,"
              + " pod, ip) and exit; needs no Kafka.")
  boolean dryRun;

  @Option(
      names = "--exclude",
      paramLabel = "GLOB",
      description =
          "With --auto: leave out hops whose interface name or hop id matches this glob"
              + " (repeatable), e.g. docker0, 'veth*', 'node-a/*/eth0'.")
  List<String> excludes = new ArrayList<>();

  @Option(
      names = "--pod-netns-prefix",
      paramLabel = "PREFIX",
      defaultValue = "",
      description =
          "With --auto: a pod's name is its network namespace's name without this prefix (the"
              + " lab's ht-pod-a1 is pod-a1 with 'ht-'; default: the name as it is).")
  String podNetnsPrefix;

  @Option(
      names = "--pcap",
      paramLabel = "FILE",
      description = "Replay these capture files instead of capturing live (repeatable).")
  List<Path> pcaps = new ArrayList<>();

  @Option(
      names = "--role",
      paramLabel = "IFACE=ROLE",
      description =
          "Override an interface's role (POD, VETH, BRIDGE, VTEP, TUNNEL, UPLINK, ANY);"
              + " otherwise inferred from its name.")
  List<String> roles = new ArrayList<>();

  @Option(
      names = "--filter",
      paramLabel = "BPF",
      description = "BPF filter for live capture (default: none).")
  String filter;

  @Option(
      names = "--snaplen",
      defaultValue = "" + LiveCaptureConfig.DEFAULT_SNAPLEN,
      description = "Bytes captured per packet, live (default: ${DEFAULT-VALUE}: headers only).")
  int snaplen;

  @Option(
      names = "--topic-prefix",
      defaultValue = "hoptrace.",
      description = "Topic name prefix (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(
      names = "--inventory-interval",
      defaultValue = "30",
      description =
          "Seconds between inventory checks; the inventory is published at start and on change"
              + " (default: ${DEFAULT-VALUE}).")
  int inventorySeconds;

  @Option(
      names = "--no-inventory",
      description = "Do not collect or publish the node inventory (e.g. on a non-Linux host).")
  boolean noInventory;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      description =
          "Live: stop after this many seconds (default: run until Ctrl-C); --pcap with rings:"
              + " answer pcap requests this long after the replay.")
  Integer durationSeconds;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description = "Serve Prometheus /metrics on this port (0: any free port; default: off).")
  Integer metricsPort;

  @Option(
      names = "--packets-partitions",
      paramLabel = "N",
      defaultValue = "" + TopicSettings.DEFAULT_PACKETS_PARTITIONS,
      description =
          "Partitions of the packets topic if the sensor must create it (default:"
              + " ${DEFAULT-VALUE}, as `hoptrace run` creates it).")
  int packetsPartitions;

  @ArgGroup(exclusive = false)
  KafkaOptions kafka = new KafkaOptions();

  @Mixin KafkaConnectOptions connect;

  @Mixin DecoderOptions decoderOptions;

  @Mixin SummariesOption summariesOption;

  @Mixin ReducerOptions reducerOptions;

  @Mixin DropReasonsOptions dropReasons;
  @Mixin RingOptions ringOptions;
  @Mixin SpoolOptions spool;

  /** Pass-through producer settings. */
  static final class KafkaOptions {
    @Option(
        names = "--kafka",
        paramLabel = "KEY=VALUE",
        description =
            "Extra Kafka client setting of the sensor's producer and admin client (repeatable),"
                + " e.g. linger.ms=50; wins over --kafka-config for the same key.")
    Map<String, String> settings = new HashMap<>();
  }

  @Override
  public Integer call() throws Exception {
    if (dryRun && !auto) {
      throw new ParameterException(spec.commandLine(), "--dry-run goes with --auto");
    }
    if (!auto && (!excludes.isEmpty() || !podNetnsPrefix.isEmpty())) {
      throw new ParameterException(
          spec.commandLine(), "--exclude and --pod-netns-prefix go with --auto");
    }
    if (auto && !(pcaps.isEmpty() && ifaces.isEmpty() && podIfaces.isEmpty())) {
      throw new ParameterException(
          spec.commandLine(),
          "--auto finds the interfaces itself: no --iface, --pod-iface or --pcap with it");
    }
    if (!auto && pcaps.isEmpty() && ifaces.isEmpty() && podIfaces.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "give --iface or --auto (live capture) or --pcap FILE (replay)");
    }
    HopDiscovery discovery = auto ? discovery() : null;
    if (dryRun) {
      return AutoHops.print(discovery.discover(), spec.commandLine().getOut());
    }
    if (bootstrap == null) {
      throw new ParameterException(spec.commandLine(), "Missing required option: '--bootstrap'");
    }
    if (!pcaps.isEmpty() && (!podIfaces.isEmpty() || netns != null)) {
      throw new ParameterException(
          spec.commandLine(), "--pod-iface and --netns are for live capture only");
    }
    if (!pcaps.isEmpty() && ifaces.size() > 1 && ifaces.size() != pcaps.size()) {
      throw new ParameterException(
          spec.commandLine(),
          "with --pcap give one --iface for all files or one per file ("
              + pcaps.size()
              + " files, "
              + ifaces.size()
              + " interfaces)");
    }
    // every option is checked before anything is touched: no topic, connection or capture for a
    // start that fails on its options
    if (durationSeconds != null && durationSeconds <= 0) {
      throw new IllegalArgumentException("--duration " + durationSeconds + ": must be > 0 seconds");
    }
    if (inventorySeconds <= 0) {
      throw new IllegalArgumentException(
          "--inventory-interval " + inventorySeconds + ": must be > 0 seconds");
    }
    if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
      throw new IllegalArgumentException("--metrics-port " + metricsPort + ": must be 0..65535");
    }
    PipelineOptions.check(
        PipelineConfig.PACKETS_PARTITIONS, packetsPartitions, "--packets-partitions");
    dropReasons.mode();
    spool.validate(!pcaps.isEmpty());
    if (pcaps.isEmpty()) {
      dropReasons.checkOn(decoderOptions.config().vxlanPorts());
    }
    HopRings rings = ringOptions.rings(!pcaps.isEmpty());
    InterfaceRoles interfaceRoles = InterfaceRoles.parse(roles);
    SummaryMode mode = summariesOption.mode();
    ReducerConfig reducerConfig = reducerOptions.config();
    LiveCaptureConfig liveConfig = pcaps.isEmpty() ? liveConfig() : null;
    KafkaClientSettings kafkaClients = connect.validate(bootstrap);
    Map<String, Object> publisherSettings = PublisherConfig.settingsFor(kafkaClients);
    publisherSettings.put(PublisherConfig.TOPIC_PREFIX, topicPrefix);
    publisherSettings.put(PublisherConfig.PACKETS_PARTITIONS, packetsPartitions);
    if (!pcaps.isEmpty()) {
      // A file can wait for the broker: block on backpressure rather than drop (live capture
      // cannot wait, so it keeps the short default and counts what it drops).
      publisherSettings.put(PublisherConfig.MAX_BLOCK_MS, REPLAY_MAX_BLOCK_MS);
    }
    // --kafka after --kafka-config: a key set by both takes --kafka's value
    kafka.settings.forEach((k, v) -> publisherSettings.put(PublisherConfig.CLIENT_PREFIX + k, v));
    PublisherConfig publisherConfig;
    try {
      publisherConfig = new PublisherConfig(publisherSettings);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    // then Kafka: one line within --connect-timeout if it is not there
    spool.openThen(() -> connect.check(kafkaClients, publisherConfig.adminProperties()));
    PrometheusMeterRegistry registry = MetricsServer.newRegistry();
    SensorMetrics metrics = new SensorMetrics(registry);
    MetricsServer server =
        metricsPort == null ? null : MetricsServer.start(registry, "0.0.0.0", metricsPort);
    if (server != null) {
      err().printf("metrics: http://0.0.0.0:%d/metrics%n", server.port());
    }
    try (SummaryPublisher publisher = spool.publisher(publisherConfig, metrics);
        RingResponder answers =
            RingOptions.start(rings, publisherConfig, decoderOptions.config(), node, err())) {
      SensorPipeline pipeline = new SensorPipeline(decoderOptions.config(), publisher, metrics);
      if (answers != null) {
        pipeline.rings(rings);
        metrics.bindPcapAnswers(answers::answered);
      }
      if (mode == SummaryMode.REDUCED) {
        // MTUs from this node's inventory once collected (live); unknown for files
        pipeline.reduced(reducerConfig, (n, p, i) -> mtus.get().mtu(n, p, i));
      }
      return pcaps.isEmpty()
          ? live(pipeline, publisher, interfaceRoles, liveConfig, discovery, metrics)
          : replay(pipeline, publisher, interfaceRoles);
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  // ---------------------------------------------------------------- replay

  private int replay(
      SensorPipeline pipeline, SummaryPublisher publisher, InterfaceRoles interfaceRoles)
      throws InterruptedException {
    int unreadable = 0;
    long total = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < pcaps.size(); i++) {
      Path file = pcaps.get(i);
      String iface =
          ifaces.isEmpty() ? file.getFileName().toString() : ifaces.get(ifaces.size() == 1 ? 0 : i);
      HopContext hop = new HopContext(node, null, iface, interfaceRoles.roleOf(iface));
      try (CaptureFileReader reader = CaptureFileReader.open(file, hop);
          Progress progress = new Progress(err(), file.getFileName().toString(), reader)) {
        long n = pipeline.replay(reader);
        progress.finish(n);
        total += n;
        CaptureStats stats = reader.stats();
        if (stats.hasProblems()) {
          err().printf("hoptrace sensor: %s: %s%n", file, stats.describe());
        }
      } catch (CaptureFileException e) {
        err().printf("hoptrace sensor: %s: %s%n", file, e.getMessage());
        unreadable++;
      }
    }
    publisher.flush();
    double secs = (System.nanoTime() - t0) / 1e9;
    long records = publisher.sent() + publisher.failed();
    err()
        .printf(
            "replayed %d packets in %.2f s (%.0f packets/s): %s, %d failed, mean record %d"
                + " bytes%n",
            total,
            secs,
            total / Math.max(secs, 1e-9),
            summariesOption
                .mode()
                .describe(publisher.sent() - publisher.countersSent(), publisher.countersSent()),
            publisher.failed(),
            records == 0 ? 0 : publisher.valueBytes() / records);
    RingOptions.answerAfterReplay(pipeline.rings(), durationSeconds, err());
    return unreadable > 0 || publisher.failed() > 0 ? 1 : 0;
  }

  // ---------------------------------------------------------------- live

  /**
   * The live capture's settings and targets, checked: snaplen, and that every network namespace
   * named exists and every --pod-iface is well-formed.
   */
  private LiveCaptureConfig liveConfig() {
    LiveCaptureConfig config;
    try {
      config = LiveCaptureConfig.defaults().withSnaplen(snaplen);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          String.format(
              "--snaplen %d: must be %d..%d bytes",
              snaplen, LiveCaptureConfig.MIN_SNAPLEN, LiveCaptureConfig.MAX_SNAPLEN));
    }
    if (filter != null) {
      config = config.withFilter(filter);
    }
    if (netns != null) {
      NetnsTarget.named(netns).checkExists();
    }
    for (String spec : podIfaces) {
      NamedHops.podHop(node, spec);
      NamedHops.netnsOf(spec).checkExists();
    }
    return config;
  }

  private int live(
      SensorPipeline pipeline,
      SummaryPublisher publisher,
      InterfaceRoles interfaceRoles,
      LiveCaptureConfig config,
      HopDiscovery discovery,
      SensorMetrics metrics)
      throws Exception {
    LiveCapture.Builder builder = LiveCapture.builder(config);
    for (String iface : ifaces) {
      HopContext hop = new HopContext(node, null, iface, interfaceRoles.roleOf(iface));
      if (netns == null) {
        builder.iface(hop);
      } else {
        builder.netnsIface(NetnsTarget.named(netns), hop);
      }
    }
    for (String spec : podIfaces) {
      builder.netnsIface(NamedHops.netnsOf(spec), NamedHops.podHop(node, spec));
    }
    InventoryWatcher watcher = null;
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    // Ctrl-C: let the capture stop and the publisher flush before the JVM exits.
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                done.await(15, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "hoptrace-sensor-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    ScheduledExecutorService rediscovery = null;
    AutoCloseable capture;
    Supplier<List<LiveStats>> stats;
    if (discovery == null) {
      LiveCapture fixed = builder.start(hop -> pipeline.newHandler());
      pipeline.bindCaptureDrops(fixed);
      capture = fixed;
      stats = fixed::stats;
    } else {
      AutoCapture<LiveCapture> auto =
          AutoLiveCapture.create(
              discovery::discover, config, hop -> pipeline.newHandler(), metrics);
      auto.refresh();
      rediscovery =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "hoptrace-hop-discovery");
                t.setDaemon(true);
                return t;
              });
      auto.start(rediscovery, AUTO_REFRESH_MILLIS);
      capture = auto;
      stats = () -> auto.captures().stream().flatMap(c -> c.stats().stream()).toList();
    }
    AutoCloseable ticker = pipeline.startTicks(100);
    List<DiscoveredHop> fixedHops = NamedHops.all(node, ifaces, podIfaces, interfaceRoles);
    try (capture;
        ticker;
        SensorDrops drops =
            dropReasons.start(
                node,
                netns,
                interfaceRoles,
                discovery == null ? () -> fixedHops : discovery::discover,
                decoderOptions.config().vxlanPorts(),
                publisher,
                metrics.registry(),
                err())) {
      if (!noInventory) {
        InventoryCollector collector =
            InventoryCollector.system(
                new InventoryCollector.Target(node, netns, null, null), interfaceRoles);
        watcher =
            new InventoryWatcher(
                collector,
                inventory -> {
                  mtus.set(new InventoryMtus(List.of(inventory)));
                  publisher.publishInventory(inventory);
                },
                Duration.ofSeconds(inventorySeconds),
                InventoryWatcher.daemonScheduler());
        watcher.start();
      }
      err()
          .printf(
              "capturing on %s%s (Ctrl-C to stop)%n",
              stats.get().stream().map(st -> st.hop().id()).toList(),
              discovery == null
                  ? ""
                  : ", hops discovered again every " + AUTO_REFRESH_MILLIS + " ms");
      long stopAt =
          durationSeconds == null
              ? Long.MAX_VALUE
              : System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds);
      while (true) {
        long wait = Math.min(TimeUnit.SECONDS.toNanos(10), stopAt - System.nanoTime());
        if (wait <= 0 || stop.await(wait, TimeUnit.NANOSECONDS)) {
          break;
        }
        err().println(LiveStatsLine.of(stats.get(), publisher));
      }
      List<LiveStats> last = stats.get();
      if (rediscovery != null) {
        rediscovery.shutdownNow();
      }
      capture.close();
      pipeline.finish();
      publisher.flush();
      err().println(LiveStatsLine.of(last, publisher));
      for (LiveStats s : last) {
        if (s.error() != null) {
          err().printf("hoptrace sensor: %s: %s%n", s.hop().id(), s.error());
        }
      }
    } finally {
      if (rediscovery != null) {
        rediscovery.shutdownNow();
      }
      if (watcher != null) {
        watcher.close();
      }
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it returns now that done is counted down
      }
    }
    return 0;
  }

  /** MTUs of this node's interfaces, from its latest inventory (none before the first). */
  private final AtomicReference<Reducer.MtuLookup> mtus =
      new AtomicReference<>(Reducer.MtuLookup.UNKNOWN);

  private HopDiscovery discovery() {
    try {
      return HopDiscovery.system(
          new HopDiscovery.Target(node, netns, null),
          InterfaceRoles.parse(roles),
          new PodNaming(podNetnsPrefix),
          ExcludeFilter.of(excludes));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
