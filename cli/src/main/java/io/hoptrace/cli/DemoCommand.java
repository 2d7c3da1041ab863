package io.hoptrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.notify.AlertSinks;
import io.hoptrace.pipeline.DetectionHost;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.pipeline.PipelineConfig;
import io.hoptrace.replay.Manifest;
import io.hoptrace.replay.MergedCaptures;
import io.hoptrace.replay.Recordings;
import io.hoptrace.replay.Replay;
import io.hoptrace.serve.ApiServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hoptrace demo}: embedded Kafka + detection job + replay of the bundled recordings. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Starts an embedded Kafka broker and the detection job, then replays the bundled lab"
          + " recordings (deploy/lab/recordings, found via $HOPTRACE_HOME, else the working"
          + " directory or its parents) one scenario after the other, as if live: timestamps"
          + " moved to now, paced in real time (--speed). Alerts are printed as they fire, one"
          + " line each (time, status, type, severity, subject, lost-at segment, count, hint);"
          + " the end of each scenario resolves its alerts. Stays up until Ctrl-C. The replay is"
          + " analyze's (publish failures fail it); --partitions and --threads scale the pipeline"
          + " (packets partitions, stream threads; 1 each by default); --engine flink runs the"
          + " detection job on Apache Flink instead (a local MiniCluster, --parallelism)."
    })
final class DemoCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--recordings",
      paramLabel = "DIR",
      description = "Directory of recordings (default: the bundled " + Recordings.RECORDINGS + ").")
  Path recordings;

  @Option(
      names = "--scenario",
      paramLabel = "NAME",
      description = "Replay only these scenarios (repeatable; default: all).")
  List<String> scenarios = new ArrayList<>();

  @Option(
      names = "--speed",
      defaultValue = "1",
      description =
          "Replay speed: 1 = real time, 10 = ten times faster, 0 = as fast as possible"
              + " (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(
      names = "--serve-port",
      paramLabel = "N",
      description =
          "With --store: also serve the page and API of `hoptrace serve` on 127.0.0.1:N (0: any"
              + " free port), with live alerts; the page's URL is printed.")
  Integer servePort;

  @Option(names = "--exit-after-replay", description = "Exit once every scenario is replayed.")
  boolean exitAfterReplay;

  @Mixin DecoderOptions decoderOptions;

  @Mixin SummariesOption summariesOption;

  @Mixin DetectionOptions detectionOptions;

  @Mixin PipelineOptions pipelineOptions;

  @Mixin NotifyOptions notifyOptions;

  @Mixin JobMetricsOptions metricsOptions;

  @Mixin StoreOptions storeOptions;

  @Mixin StateDirOptions stateDirOptions;
  @Mixin EngineOptions engineOptions;

  /** Event time (ns) at which the next scenario may start. */
  private long resumeAt = Long.MIN_VALUE;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!(speed >= 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("--speed must be >= 0");
    }
    DetectionConfig detection = detectionOptions.config();
    PipelineConfig pipelineConfig = pipelineOptions.config();
    summariesOption.mode(); // a bad value is reported before anything starts
    NotifyOptions.validate(notifyOptions);
    metricsOptions.validate();
    engineOptions.check(pipelineOptions.threads != null);
    storeOptions.config();
    if (servePort != null && (storeOptions.store == null || servePort < 0 || servePort > 65535)) {
      throw new IllegalArgumentException(
          "--serve-port " + servePort + ": needs --store DIR and a port 0..65535");
    }
    Path dir =
        recordings != null
            ? recordings
            : Recordings.locate(System.getenv(), Path.of("")).orElse(null);
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "no recordings found: set HOPTRACE_HOME, run from the hoptrace directory, or pass"
              + " --recordings DIR");
    }
    List<Path> manifests = manifests(dir);
    if (manifests.isEmpty()) {
      throw new IllegalArgumentException("no <scenario>/manifest.json under " + dir);
    }
    // every manifest and capture is checked before the broker starts
    for (Path m : manifests) {
      MergedCaptures.check(Manifest.read(m).hops());
    }
    AlertPrinter printer = new AlertPrinter(ZoneId.systemDefault());
    err.println(
        "hoptrace demo: starting the embedded broker and the "
            + engineOptions.describe(pipelineConfig)
            + " ...");
    err.flush();
    try (AlertSinks sinks = notifyOptions.open();
        DetectionHost p =
            engineOptions.flink()
                ? engineOptions.startFlink(detection, pipelineConfig)
                : stateDirOptions
                    .apply(EmbeddedPipeline.builder().detection(detection).config(pipelineConfig))
                    .start();
        JobMetricsOptions.Served metrics =
            metricsOptions.start(JobMetricsOptions.statsOf(p), "demo", err).follow(p);
        StoreOptions.Writer store = storeOptions.start(p, "demo", err);
        ApiServer web =
            servePort == null
                ? null
                : ApiServer.start(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), servePort),
                    storeOptions.store,
                    p.kafkaClients(),
                    p.topics().alerts())) {
      if (web != null) {
        err.println("hoptrace demo: page at " + web.url());
        err.flush();
      }
      CountDownLatch stop = new CountDownLatch(1);
      Thread hook = new Thread(stop::countDown, "hoptrace-demo-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      AtomicLong printed = new AtomicLong();
      IncidentDigest digest = new IncidentDigest(printer);
      try (DetectionHost.Watch incidents =
              p.watchIncidents(
                  i -> {
                    String line = digest.accept(i);
                    if (line != null) {
                      synchronized (out) {
                        out.println(line);
                        out.flush();
                      }
                    }
                  });
          DetectionHost.Watch watch =
              p.watchAlerts(
                  a -> {
                    synchronized (out) {
                      out.println(printer.line(a));
                      out.flush();
                    }
                    printed.incrementAndGet();
                    sinks.accept(a);
                  })) {
        err.println(
            "hoptrace demo: broker on "
                + p.bootstrapServers()
                + "; replaying "
                + manifests.size()
                + " scenario(s) from "
                + dir);
        err.flush();
        for (Path m : manifests) {
          if (stop.getCount() == 0) {
            break;
          }
          replay(p, m, out, stop, detection);
          // let the printer catch up (alerts, then the incidents made of them) before the
          // scenario's incident digest and the next scenario's header
          long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
          long before = -1;
          while (System.nanoTime() < deadline && before != printed.get() + digest.received()) {
            before = printed.get() + digest.received();
            Thread.sleep(400);
          }
          synchronized (out) {
            digest.endScenario(m.getParent().getFileName().toString()).forEach(out::println);
            out.flush();
          }
        }
        NotifyOptions.finish(sinks, "demo", err);
        if (!exitAfterReplay) {
          err.println("hoptrace demo: replay done; the job keeps running. Ctrl-C to stop.");
          err.flush();
          stop.await();
        }
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is running
      }
    }
    return 0;
  }

  /**
   * One scenario through the same {@link Replay} as {@code analyze}: inventory, packets moved to
   * now (after the previous scenario's end of input) and paced by --speed, end of input.
   */
  private void replay(
      DetectionHost p,
      Path manifestFile,
      PrintWriter out,
      CountDownLatch stop,
      DetectionConfig detection)
      throws Exception {
    Manifest m = Manifest.read(manifestFile);
    String name = manifestFile.getParent().getFileName().toString();
    String what = describe(manifestFile.resolveSibling("truth.json"));
    synchronized (out) {
      out.println();
      out.println("== " + name + (what.isEmpty() ? "" : ": " + what));
      out.flush();
    }
    // the end of the previous scenario moved event time far ahead (FLUSH expires everything):
    // start this one after that, so none of its packets is late
    Replay.Published r =
        new Replay(p, decoderOptions.config(), InstantSource.system(), Duration.ofMinutes(2))
            .summaries(summariesOption.mode())
            .pacing(new Replay.Pacing(speed))
            .startAt(resumeAt)
            .run(m, () -> stop.getCount() == 0, msg -> {});
    if (r.summaries() > 0) {
      resumeAt = Math.max(resumeAt, r.lastTsNanos() + flushHorizonNanos(detection));
    }
  }

  /**
   * How far the end of input moves event time, plus 1 s: the Kafka Streams job moves each stage by
   * its own horizon (FlowDetector, AlertAggregator), the Flink job moves a partition's watermark by
   * both (stage 2's after stage 1's, {@code PacketWatermarks.endJumpMillis}); the larger of the
   * two. A scenario started before it would have its packets behind the watermark: every deadline
   * due at once, conversations judged at their first hop.
   */
  private static long flushHorizonNanos(DetectionConfig c) {
    return io.hoptrace.detect.FlowDetector.endOfInputNanos(c)
        + io.hoptrace.detect.AlertAggregator.endOfInputNanos(c)
        + 1_000_000_000L;
  }

  private static String describe(Path truth) {
    if (!Files.isRegularFile(truth)) {
      return "";
    }
    try {
      JsonNode t = new ObjectMapper().readTree(Files.readString(truth));
      return t.path("description").asText("");
    } catch (IOException e) {
      return "";
    }
  }

  private List<Path> manifests(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(d -> Files.isRegularFile(d.resolve("manifest.json")))
          .filter(d -> scenarios.isEmpty() || scenarios.contains(d.getFileName().toString()))
          .sorted(
              (a, b) -> {
                // healthy first: the baseline, then the incidents by name
                boolean ha = a.getFileName().toString().equals("healthy");
                boolean hb = b.getFileName().toString().equals("healthy");
                return ha != hb ? (ha ? -1 : 1) : a.getFileName().compareTo(b.getFileName());
              })
          .forEach(d -> out.add(d.resolve("manifest.json")));
    }
    return out;
  }
}
