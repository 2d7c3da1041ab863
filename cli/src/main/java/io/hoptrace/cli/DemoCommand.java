package io.hoptrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.publish.SummaryPublisher;
import io.hoptrace.schema.Alert;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.WakeupException;
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
          + " the end of each scenario resolves its alerts. Stays up until Ctrl-C."
    })
final class DemoCommand implements Callable<Integer> {

  static final String RECORDINGS = "deploy/lab/recordings";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--recordings",
      paramLabel = "DIR",
      description = "Directory of recordings (default: the bundled " + RECORDINGS + ").")
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

  @Option(names = "--exit-after-replay", description = "Exit once every scenario is replayed.")
  boolean exitAfterReplay;

  @Mixin DecoderOptions decoderOptions;

  @Mixin DetectionOptions detectionOptions;

  /** Event time (ns) at which the next scenario may start. */
  private long resumeAt = Long.MIN_VALUE;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (speed < 0) {
      throw new IllegalArgumentException("--speed must be >= 0");
    }
    Path dir = recordings != null ? recordings : locate(System.getenv(), Path.of("")).orElse(null);
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "no recordings found: set HOPTRACE_HOME, run from the hoptrace directory, or pass"
              + " --recordings DIR");
    }
    List<Path> manifests = manifests(dir);
    if (manifests.isEmpty()) {
      throw new IllegalArgumentException("no <scenario>/manifest.json under " + dir);
    }
    AlertPrinter printer = new AlertPrinter(ZoneId.systemDefault());
    err.println("hoptrace demo: starting the embedded broker and the detection job ...");
    err.flush();
    try (EmbeddedPipeline p =
        EmbeddedPipeline.builder().detection(detectionOptions.config()).start()) {
      CountDownLatch stop = new CountDownLatch(1);
      Thread hook = new Thread(stop::countDown, "hoptrace-demo-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      AtomicLong printed = new AtomicLong();
      TopicTail<Alert> tail = p.tailAlerts();
      Thread printerThread =
          new Thread(
              () -> {
                try {
                  while (true) {
                    for (var item : tail.poll(Duration.ofMillis(200))) {
                      synchronized (out) {
                        out.println(printer.line(item.value()));
                        out.flush();
                      }
                      printed.incrementAndGet();
                    }
                  }
                } catch (WakeupException | org.apache.kafka.common.errors.InterruptException e) {
                  // stopping
                } finally {
                  tail.close();
                }
              },
              "hoptrace-demo-alerts");
      printerThread.setDaemon(true);
      printerThread.start();
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
        replay(p, m, out, stop);
        // let the printer catch up before the next scenario's header
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long before = -1;
        while (System.nanoTime() < deadline && before != printed.get()) {
          before = printed.get();
          DetectionJob.sleep(400);
        }
      }
      if (!exitAfterReplay) {
        err.println("hoptrace demo: replay done; the job keeps running. Ctrl-C to stop.");
        err.flush();
        stop.await();
      }
      tail.wakeup();
      printerThread.join(5_000);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is running
      }
    }
    return 0;
  }

  private void replay(EmbeddedPipeline p, Path manifestFile, PrintWriter out, CountDownLatch stop)
      throws Exception {
    Manifest m = Manifest.read(manifestFile);
    String name = manifestFile.getParent().getFileName().toString();
    String what = describe(manifestFile.resolveSibling("truth.json"));
    synchronized (out) {
      out.println();
      out.println("== " + name + (what.isEmpty() ? "" : ": " + what));
      out.flush();
    }
    long now = Analysis.nanos(InstantSource.system());
    p.publishInventory(m.inventories(now), Duration.ofSeconds(60));
    // the end of the previous scenario moved event time far ahead (FLUSH expires everything):
    // start this one after that, so none of its packets is late
    long start = Math.max(now, resumeAt);
    long shift = Long.MIN_VALUE;
    long first = 0;
    long last = 0;
    long wallStart = System.nanoTime();
    try (SummaryPublisher pub = p.newPublisher();
        MergedCaptures merged = MergedCaptures.open(m.hops(), decoderOptions.config())) {
      while (merged.hasNext() && stop.getCount() > 0) {
        MergedCaptures.Item item = merged.next();
        long ts = item.summary().getTsNanos();
        if (shift == Long.MIN_VALUE) {
          shift = start - ts;
          first = ts;
        }
        last = Math.max(last, ts + shift);
        item.summary().setTsNanos(ts + shift);
        if (speed > 0) {
          long due = wallStart + (long) ((ts - first) / speed);
          long wait = due - System.nanoTime();
          if (wait > 1_000_000L) {
            pub.flush();
            Thread.sleep(wait / 1_000_000L);
          }
        }
        pub.publish(item.key(), item.summary());
      }
      pub.flush();
    }
    p.endOfInput(Duration.ofMinutes(2));
    resumeAt = Math.max(resumeAt, last + flushHorizonNanos());
  }

  /** How far the end of input moves event time (FlowDetector/AlertAggregator), plus 1 s. */
  private long flushHorizonNanos() {
    DetectionConfig c = detectionOptions.config();
    return Math.max(
            io.hoptrace.detect.FlowDetector.endOfInputNanos(c),
            io.hoptrace.detect.AlertAggregator.endOfInputNanos(c))
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

  /**
   * The recordings directory: {@code $HOPTRACE_HOME/deploy/lab/recordings} when set, else {@code
   * deploy/lab/recordings} in the working directory or its nearest parent that has one.
   */
  static Optional<Path> locate(Map<String, String> env, Path workingDir) {
    String home = env.get(LabCommand.HOME_ENV);
    if (home != null && !home.isBlank()) {
      Path p = Path.of(home).resolve(RECORDINGS);
      return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
    for (Path d = workingDir.toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve(RECORDINGS);
      if (Files.isDirectory(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
