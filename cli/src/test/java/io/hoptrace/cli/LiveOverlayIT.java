package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hoptrace.capture.TestNetns;
import io.hoptrace.contract.HopId;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.pipeline.TopicTail;
import io.hoptrace.replay.Analysis;
import io.hoptrace.replay.Manifest;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.DropReason;
import io.hoptrace.schema.KernelDrop;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.PacketsRecordSerde;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole product live, end to end, in the overlay lab (deploy/lab): real kernel VXLAN, bridges,
 * veths, iptables NAT in network namespaces. The lab goes up once; for every recorded scenario
 * (deploy/lab/recordings/NAME, {@code healthy} first) a fresh embedded broker + Kafka Streams
 * detection job ({@link EmbeddedPipeline}) is started, then one {@code ./hoptrace sensor} child
 * process per lab node capturing live on every hop of that node that the recording's manifest lists
 * (node interfaces through {@code --netns}, pod {@code eth0} through {@code --pod-iface}); once
 * both capture and the job holds both inventories, {@code lab.sh scenario NAME} applies the fault,
 * runs its bounded traffic and reverts. The test waits (at most {@link #ALERT_WAIT} from the
 * traffic start) until every alert of the truth file has arrived on the alerts topic, stops the
 * sensors with SIGTERM (they flush), sends the end-of-input marker and compares the alerts with
 * truth.json by the rules of {@link TruthCheck} (those of {@link LabScenariosIT}); every expected
 * alert must also have arrived live, before the sensors were stopped.
 *
 * <p>First-packet-to-alert latency: wall clock of an expected alert's arrival on the alerts topic
 * ({@code read_committed}) minus the capture timestamp of the first packet summary the sensors
 * published in that scenario (kernel timestamps; same host, same clock). Written with the alerts,
 * lost-at segments and the verdict per scenario to {@code target/live-overlay-report.txt}; the logs
 * of the sensors and of the lab per scenario go to {@code target/live-overlay/NAME/}.
 *
 * <p>Needs root, {@code ip netns}, tcpdump and the lab's tools; skipped with the reason otherwise.
 * The lab is taken down after the last scenario even when one fails; no {@code ht-*} namespace and
 * no sensor process (nor its tcpdumps) may be left. Shares the lab with {@link LabScriptIT}: both
 * hold the {@value #LAB} resource lock, and failsafe runs IT classes one after the other in one
 * fork (no parallel execution is configured).
 */
@ResourceLock(LiveOverlayIT.LAB)
class LiveOverlayIT {
  /** The resource lock of every test that brings the lab up or down. */
  static final String LAB = "hoptrace-lab";

  /** Longest wait for the expected alerts, counted from the start of the scenario's traffic. */
  static final Duration ALERT_WAIT = Duration.ofSeconds(40);

  private static final Duration SENSOR_START = Duration.ofSeconds(90);
  private static final Duration SENSOR_STOP = Duration.ofSeconds(30);
  private static final List<String> TOOLS =
      List.of("ip", "bridge", "iptables", "tcpdump", "ping", "socat", "dig", "ethtool", "jq", "ss");
  private static final DateTimeFormatter HMS =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private static Path repo;
  private static Path script;
  private static Path launcher;
  private static Path target;
  private static boolean labStarted;
  private static long classStart;
  private static String loadAtStart;
  private static final List<ProcessHandle> STARTED = new ArrayList<>();
  private static final Map<String, Result> RESULTS = new LinkedHashMap<>();

  /** One scenario's outcome, for the report. */
  private record Result(
      String scenario,
      boolean pass,
      List<String> expected,
      String lostAt,
      Long latencyMs,
      String detail,
      List<Alert> alerts) {}

  /** An alert record and when it arrived on the alerts topic (wall clock, ms). */
  private record Arrival(Alert alert, long arrivedMs, boolean live) {}

  /** A sensor child process and its log. */
  private record Sensor(String node, Process process, Path log) {}

  @BeforeAll
  static void labUp() throws Exception {
    String netns = TestNetns.unavailableReason();
    assumeTrue(netns == null, "live overlay test skipped: " + netns);
    assumeTrue(
        LabCommand.currentEffectiveUid() == 0, "live overlay test skipped: not running as root");
    List<String> missing = new ArrayList<>();
    for (String t : TOOLS) {
      if (TestNetns.run("bash", "-c", "command -v " + t).exit() != 0) {
        missing.add(t);
      }
    }
    assumeTrue(missing.isEmpty(), "live overlay test skipped: lab tools missing: " + missing);
    repo = CliRun.repoRoot();
    script = repo.resolve("deploy/lab/lab.sh");
    launcher = repo.resolve("hoptrace");
    target = repo.resolve("cli/target");
    boolean built;
    try (Stream<Path> jars = Files.list(target)) {
      built =
          Files.isDirectory(target.resolve("lib"))
              && jars.anyMatch(j -> j.getFileName().toString().matches("hoptrace-cli-.*\\.jar"));
    }
    assumeTrue(
        built && Files.isExecutable(launcher),
        "live overlay test skipped: ./hoptrace needs cli/target/hoptrace-cli-*.jar and"
            + " cli/target/lib (run it in the integration-test phase: mvn verify)");
    classStart = System.nanoTime();
    loadAtStart = loadAverage();
    labStarted = true;
    Files.createDirectories(target.resolve("live-overlay"));
    int up = lab(target.resolve("live-overlay/lab-up.log"), Duration.ofMinutes(3), "up");
    assertThat(up).as("lab.sh up (log: %s)", target.resolve("live-overlay/lab-up.log")).isZero();
  }

  @AfterAll
  static void labDownAndNothingLeft() throws Exception {
    if (!labStarted) {
      return;
    }
    for (ProcessHandle h : STARTED) {
      h.destroyForcibly();
    }
    int down = lab(target.resolve("live-overlay/lab-down.log"), Duration.ofMinutes(2), "down");
    writeReport(true);
    assertThat(down).as("lab.sh down").isZero();
    assertThat(labNamespaces()).as("ht-* namespaces left after lab down").isEmpty();
    List<String> alive = new ArrayList<>();
    for (ProcessHandle h : STARTED) {
      if (aliveAfterGrace(h)) {
        alive.add(h.pid() + " " + h.info().commandLine().orElse("?"));
      }
    }
    assertThat(alive).as("sensor processes (or their tcpdumps) still running").isEmpty();
  }

  /** The recorded scenarios, healthy first. */
  static Stream<String> scenarios() throws IOException {
    try (Stream<Path> dirs = Files.list(CliRun.repoRoot().resolve("deploy/lab/recordings"))) {
      List<String> names =
          new ArrayList<>(
              dirs.filter(d -> Files.isRegularFile(d.resolve("truth.json")))
                  .map(d -> d.getFileName().toString())
                  .sorted()
                  .toList());
      if (names.remove("healthy")) {
        names.add(0, "healthy");
      }
      return names.stream();
    }
  }

  /** Scenarios run once more with sensors that find their hops themselves. */
  static Stream<String> autoScenarios() {
    return Stream.of("healthy", "vxlan-blocked", "wrong-vtep");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void liveSensorsOnEveryHopRaiseTheTruthsAlertsWithTheirLostAtSegment(String recording)
      throws Exception {
    check(recording, false, "off");
  }

  /**
   * The same with {@code sensor --auto} (hop discovery, as the Helm chart runs it) instead of the
   * manifest's interfaces: each sensor must capture exactly the recording's hops of its node, and
   * the alerts are the truth's.
   */
  @ParameterizedTest(name = "{0} --auto")
  @MethodSource("autoScenarios")
  void sensorsFindingTheirHopsThemselvesRaiseTheSameAlerts(String recording) throws Exception {
    check(recording, true, "off");
  }

  /**
   * The reason (REASON@hop, or - for none) the alerts of the other faults carry with {@code
   * --drop-reasons on}, by type (a type not listed is not checked). dual-ip's VTEP_MISMATCH fires
   * before the sensors' first drop record (not listed: it may learn the reason or not); no-route's
   * and wrong-vtep's drops are in namespaces no sensor owns (the underlay router, the lab's
   * client).
   */
  private static final Map<String, Map<AlertType, String>> OTHER_FAULTS_REASONS =
      Map.of(
          "dual-ip",
          Map.of(
              AlertType.ONE_WAY, "IP_RPFILTER@node-a/ens33",
              AlertType.RETRANSMISSION_STORM, "IP_RPFILTER@node-a/ens33"),
          "port-closed",
          Map.of(AlertType.ICMP_UNREACHABLE, "NO_SOCKET@node-b/pod-b1/eth0"),
          "no-route",
          Map.of(AlertType.ICMP_UNREACHABLE, "-"),
          "wrong-vtep",
          Map.of(AlertType.VTEP_MISMATCH, "-"));

  /**
   * The scenarios of the drop-reasons test: vxlan-blocked in the build; more with {@code
   * -Dhoptrace.live.dropScenarios=dual-ip,no-route,...} (docs/detection.md, "Which reason each lab
   * fault gave"), each with {@code on} and {@code off}.
   */
  static Stream<Arguments> dropReasonRuns() {
    String names = System.getProperty("hoptrace.live.dropScenarios", "vxlan-blocked");
    return Stream.of(names.split(","))
        .map(String::strip)
        .filter(n -> !n.isEmpty())
        .flatMap(n -> Stream.of(Arguments.of(n, "on"), Arguments.of(n, "off")));
  }

  /**
   * A scenario with the sensors tracing the kernel's drop reasons ({@code --drop-reasons on}): the
   * truth's alerts, and in vxlan-blocked both ONE_WAY alerts (TCP, and ICMP whose drops carry the
   * echo id of the ping's conversation) carry {@code NETFILTER_DROP} at the node where the hops
   * localise the loss (node-b's INPUT drops 8472/udp on its uplink); with {@code off} the same
   * alerts without a reason. Needs bpftrace and the kernel's BTF besides the lab.
   */
  @ParameterizedTest(name = "{0} --drop-reasons {1}")
  @MethodSource("dropReasonRuns")
  void theKernelsDropReasonJoinsTheAlertWhereTheHopsLocaliseTheLoss(String scenario, String mode)
      throws Exception {
    assumeTrue(
        TestNetns.run("bash", "-c", "command -v bpftrace").exit() == 0,
        "drop reasons live test skipped: bpftrace not installed (apt-get install bpftrace)");
    assumeTrue(
        Files.exists(Path.of("/sys/kernel/btf/vmlinux")),
        "drop reasons live test skipped: the kernel has no BTF (/sys/kernel/btf/vmlinux)");
    Result r = check(scenario, false, mode);
    if (mode.equals("off")) {
      for (Alert a : r.alerts()) {
        assertThat(a.getDropReason()).as("drop reason with tracing off").isNull();
        assertThat(a.getHint()).doesNotContain("the kernel");
      }
    }
    if (mode.equals("on") && OTHER_FAULTS_REASONS.containsKey(scenario)) {
      // the other faults, as measured (docs/detection.md): a reason on a sensor's hop, or none
      // where the kernel drops in a namespace no sensor owns
      Map<AlertType, String> want = OTHER_FAULTS_REASONS.get(scenario);
      for (Alert a : r.alerts()) {
        String reason = want.get(a.getType());
        DropReason d = a.getDropReason();
        if (reason == null) {
          continue;
        }
        if (reason.equals("-")) {
          assertThat(d).as("drop reason of %s%n%s", a.getType(), r.detail()).isNull();
        } else {
          assertThat(d).as("drop reason of %s%n%s", a.getType(), r.detail()).isNotNull();
          assertThat(d.getReason() + "@" + d.getHop()).isEqualTo(reason);
        }
      }
    }
    if (!scenario.equals("vxlan-blocked")) {
      return;
    }
    List<Alert> oneWay =
        r.alerts().stream()
            .filter(a -> a.getType() == AlertType.ONE_WAY && a.getStatus() == AlertStatus.FIRING)
            .toList();
    assertThat(oneWay).as("ONE_WAY alerts%n%s", r.detail()).isNotEmpty();
    assertThat(oneWay)
        .extracting(a -> a.getSubject().getProto())
        .as("ONE_WAY alerts of TCP and ICMP%n%s", r.detail())
        .contains(6, 1);
    for (Alert a : oneWay) {
      if (mode.equals("off")) {
        continue;
      }
      DropReason d = a.getDropReason();
      assertThat(d).as("drop reason of %s%n%s", a.getHint(), r.detail()).isNotNull();
      assertThat(d.getReason()).isEqualTo("NETFILTER_DROP");
      assertThat(d.getAtLostSegment()).isTrue();
      String lostNode =
          HopId.nodeOf(
              a.getLostAt().getBefore() != null
                  ? a.getLostAt().getBefore()
                  : a.getLostAt().getAfter());
      assertThat(HopId.nodeOf(d.getHop())).as("node of %s", d.getHop()).isEqualTo(lostNode);
      assertThat(a.getHint()).contains("the kernel: ").contains(": NETFILTER_DROP (iptables)");
    }
  }

  private Result check(String recording, boolean auto, String dropReasons) throws Exception {
    Path dir = repo.resolve("deploy/lab/recordings").resolve(recording);
    JsonNode truth = CliRun.JSON.readTree(Files.readString(dir.resolve("truth.json")));
    Manifest manifest = Manifest.read(dir.resolve("manifest.json"));
    String suffix =
        (auto ? "-auto" : "") + ("off".equals(dropReasons) ? "" : "-drops-" + dropReasons);
    String name = recording + suffix;
    Path logs = target.resolve("live-overlay").resolve(recording + suffix);
    Files.createDirectories(logs);
    Result r;
    try (EmbeddedPipeline p = EmbeddedPipeline.builder().startJob(false).start()) {
      r = runLive(p, recording, truth, manifest, logs, auto, dropReasons);
    } catch (Exception | AssertionError e) {
      RESULTS.put(name, new Result(name, false, List.of(), "-", null, e + "\n", List.of()));
      writeReport(false);
      throw e;
    }
    RESULTS.put(name, r);
    writeReport(false);
    assertThat(r.pass())
        .as("%s (report: target/live-overlay-report.txt)%n%s", name, r.detail())
        .isTrue();
    return r;
  }

  private Result runLive(
      EmbeddedPipeline p,
      String recording,
      JsonNode truth,
      Manifest manifest,
      Path logs,
      boolean auto,
      String dropReasons)
      throws Exception {
    String load0 = loadAverage();
    List<String> problems = new ArrayList<>();
    List<Arrival> arrivals = new ArrayList<>();
    List<Sensor> sensors = new ArrayList<>();
    List<PacketSummary> packets;
    long trafficStart;
    long sensorsStopped;
    List<String> labArgs = new ArrayList<>(List.of("scenario", truth.get("scenario").asText()));
    if (truth.hasNonNull("variant")) {
      labArgs.addAll(List.of("--variant", truth.get("variant").asText()));
    }
    try {
      // the lab as the recording was made (a dual-stack recording needs lab.sh up --dual-stack):
      // built before the sensors start, so that the scenario does not rebuild it under them
      List<String> up = new ArrayList<>(List.of("up"));
      if ("dual".equals(truth.path("stack").asText())) {
        up.add("--dual-stack");
      }
      int upCode =
          lab(logs.resolve("lab-up.log"), Duration.ofMinutes(3), up.toArray(String[]::new));
      assertThat(upCode).as("lab.sh %s (log: %s)", up, logs.resolve("lab-up.log")).isZero();
      Map<String, List<Manifest.Hop>> byNode = new LinkedHashMap<>();
      manifest.hops().forEach(h -> byNode.computeIfAbsent(h.node(), n -> new ArrayList<>()).add(h));
      for (Map.Entry<String, List<Manifest.Hop>> e : byNode.entrySet()) {
        sensors.add(startSensor(p, e.getKey(), e.getValue(), logs, auto, dropReasons));
      }
      for (Sensor s : sensors) {
        String capturing = awaitLine(s, "capturing on");
        if ("on".equals(dropReasons)) {
          awaitLine(s, "kernel drop reasons: on"); // bpftrace attached: drops counted from now
        }
        s.process().descendants().forEach(STARTED::add);
        if (auto) {
          Set<String> want = new TreeSet<>();
          byNode.get(s.node()).forEach(h -> want.add(HopId.format(h.node(), h.pod(), h.iface())));
          Set<String> got = new TreeSet<>();
          java.util.regex.Matcher m =
              java.util.regex.Pattern.compile("[\\w.-]+(/[\\w.-]+)+").matcher(capturing);
          while (m.find()) {
            got.add(m.group());
          }
          assertThat(got).as("hops %s --auto captures: %s", s.node(), capturing).isEqualTo(want);
        }
      }
      // steady state of a running cluster: every node's inventory is on the compacted nodes topic
      // before the job starts (as analyze publishes the manifest's first); a job that already
      // runs while the sensors start sees one node's FDB pointing to a peer it does not know yet
      awaitPublishedInventories(p, byNode.keySet());
      p.startJob();
      awaitInventories(p, byNode.keySet());

      try (TopicTail<Alert> tail = p.tailAlerts()) {
        trafficStart = System.currentTimeMillis();
        Process lab = startLab(logs.resolve("lab.log"), labArgs);
        long deadline = trafficStart + ALERT_WAIT.toMillis();
        while (true) {
          for (TopicTail.Item<Alert> i : tail.poll(Duration.ofMillis(100))) {
            arrivals.add(new Arrival(i.value(), System.currentTimeMillis(), true));
          }
          long now = System.currentTimeMillis();
          if (!lab.isAlive() && (allArrived(truth, arrivals) || now > deadline)) {
            break;
          }
          if (now > trafficStart + TimeUnit.MINUTES.toMillis(3)) {
            lab.destroy();
            lab.waitFor(30, TimeUnit.SECONDS);
            problems.add("lab.sh " + String.join(" ", labArgs) + " did not finish in 3 min");
            break;
          }
        }
        if (!lab.isAlive() && lab.exitValue() != 0) {
          problems.add(
              "lab.sh "
                  + String.join(" ", labArgs)
                  + " exited with "
                  + lab.exitValue()
                  + ", see "
                  + logs.resolve("lab.log"));
        }
        problems.addAll(stopSensors(sensors));
        sensorsStopped = System.currentTimeMillis();
        p.endOfInput(Duration.ofMinutes(2));
        for (TopicTail.Item<Alert> i : tail.readToEnd(Duration.ofSeconds(60))) {
          arrivals.add(new Arrival(i.value(), System.currentTimeMillis(), false));
        }
      }
      // both kinds of the packets topic (the sensors' default is reduced): the summaries
      try (TopicTail<SpecificRecord> tail =
          new TopicTail<>(
              p.kafkaClients(),
              p.topics().packets(),
              b -> PacketsRecordSerde.get().decode(null, b))) {
        packets =
            tail.readToEnd(Duration.ofSeconds(60)).stream()
                .map(i -> i.value())
                .filter(PacketSummary.class::isInstance)
                .map(PacketSummary.class::cast)
                .toList();
      }
      writeEvidence(p, logs, packets);
    } finally {
      for (Sensor s : sensors) {
        if (s.process().isAlive()) {
          s.process().destroyForcibly();
        }
      }
    }
    return evaluate(
        recording,
        truth,
        labArgs,
        arrivals,
        packets,
        problems,
        trafficStart,
        sensorsStopped,
        load0 + " -> " + loadAverage());
  }

  private static Result evaluate(
      String recording,
      JsonNode truth,
      List<String> labArgs,
      List<Arrival> arrivals,
      List<PacketSummary> packets,
      List<String> problems,
      long trafficStart,
      long sensorsStopped,
      String load) {
    StringBuilder d = new StringBuilder();
    long firstPacketMs =
        packets.stream().mapToLong(PacketSummary::getTsNanos).min().orElse(-1_000_000L)
            / 1_000_000L;
    Map<String, Integer> perHop = new TreeMap<>();
    packets.forEach(
        s -> perHop.merge(HopId.format(s.getNode(), s.getPod(), s.getIface()), 1, Integer::sum));
    if (packets.isEmpty()) {
      problems.add("the sensors published no packet summary");
    }
    d.append(
        String.format(
            "lab.sh %s; %d summaries from %d hop(s) %s%n",
            String.join(" ", labArgs), packets.size(), perHop.size(), perHop));
    d.append(
        String.format(
            "scenario started %s, first packet %s (%+d ms), sensors stopped %+d ms; load %s%n",
            HMS.format(Instant.ofEpochMilli(trafficStart)),
            firstPacketMs < 0 ? "-" : HMS.format(Instant.ofEpochMilli(firstPacketMs)),
            firstPacketMs < 0 ? 0 : firstPacketMs - trafficStart,
            sensorsStopped - trafficStart,
            load));

    // final view, as analyze prints it: the last FIRING record of every alert id
    List<Alert> records = arrivals.stream().map(Arrival::alert).toList();
    List<Alert> finals = new Analysis.Result(records, List.of(), 0, Map.of()).alerts();
    List<JsonNode> json = finals.stream().map(a -> (JsonNode) OutputJson.alert(a)).toList();
    for (String m : TruthCheck.mismatches(truth, json)) {
      problems.add(m);
    }

    // every expected alert must have arrived live; its latency from the first packet
    List<String> expected = new ArrayList<>();
    List<String> lostAts = new ArrayList<>();
    Long latency = null;
    for (JsonNode want : truth.get("alerts")) {
      String type = want.get("type").asText();
      expected.add(type);
      if (want.has("lostAt")) {
        lostAts.add(
            want.get("lostAt").get("after").asText()
                + " -> "
                + want.get("lostAt").get("before").asText());
      }
      Optional<Arrival> first =
          arrivals.stream()
              .filter(a -> a.alert().getStatus() == AlertStatus.FIRING)
              .filter(a -> TruthCheck.matches(want, OutputJson.alert(a.alert())))
              .findFirst();
      if (first.isEmpty()) {
        continue; // reported by TruthCheck as "no alert matches"
      }
      if (!first.get().live()) {
        problems.add(
            type
                + " arrived only after the end-of-input marker, not live within "
                + ALERT_WAIT.toSeconds()
                + " s of the traffic start");
        continue;
      }
      long ms = first.get().arrivedMs() - firstPacketMs;
      latency = latency == null ? ms : Math.max(latency, ms);
      d.append(String.format("expected %s arrived live %d ms after the first packet%n", type, ms));
    }
    d.append(String.format("alerts (final, %d; %d records):%n", finals.size(), records.size()));
    for (Alert a : finals) {
      Arrival firstRecord =
          arrivals.stream().filter(x -> x.alert().getId().equals(a.getId())).findFirst().get();
      d.append(
          String.format(
              "  %s %s lostAt=%s count=%d%s, first record %s %d ms after the first packet%n",
              a.getType(),
              AlertPrinter.subject(a.getSubject()),
              a.getLostAt() == null
                  ? "-"
                  : a.getLostAt().getAfter()
                      + " -> "
                      + a.getLostAt().getBefore()
                      + " ("
                      + a.getLostAt().getDirection()
                      + ")",
              a.getCount(),
              a.getDropReason() == null
                  ? ""
                  : " dropReason="
                      + a.getDropReason().getReason()
                      + "@"
                      + a.getDropReason().getHop()
                      + " x"
                      + a.getDropReason().getCount(),
              firstRecord.live() ? "live" : "at end of input",
              firstRecord.arrivedMs() - firstPacketMs));
    }
    d.append(problems.isEmpty() ? "PASS\n" : "FAIL:\n");
    problems.forEach(pr -> d.append("  - ").append(pr).append('\n'));
    return new Result(
        recording,
        problems.isEmpty(),
        expected,
        lostAts.isEmpty() ? "-" : String.join("; ", lostAts),
        latency,
        d.toString(),
        finals);
  }

  private static boolean allArrived(JsonNode truth, List<Arrival> arrivals) {
    for (JsonNode want : truth.get("alerts")) {
      boolean found = false;
      for (Arrival a : arrivals) {
        if (a.alert().getStatus() == AlertStatus.FIRING
            && TruthCheck.matches(want, OutputJson.alert(a.alert()))) {
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ sensors

  private static Sensor startSensor(
      EmbeddedPipeline p,
      String node,
      List<Manifest.Hop> hops,
      Path logs,
      boolean auto,
      String dropReasons)
      throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                launcher.toString(),
                "sensor",
                "--node",
                node,
                "--bootstrap",
                p.bootstrapServers(),
                "--topic-prefix",
                p.topics().prefix(),
                "--netns",
                "ht-" + node,
                // the inventory follows the fault within a second, as the recording's manifest
                // (snapshot taken while the fault is active) does
                "--inventory-interval",
                "1",
                // a sensor orphaned by a killed test JVM stops by itself
                "--duration",
                "300",
                "--drop-reasons",
                dropReasons));
    if (auto) {
      // the lab's pod namespace ht-pod-a1 is pod pod-a1
      cmd.addAll(List.of("--auto", "--pod-netns-prefix", "ht-"));
    }
    for (Manifest.Hop h : auto ? List.<Manifest.Hop>of() : hops) {
      if (h.pod() == null) {
        cmd.addAll(List.of("--iface", h.iface(), "--role", h.iface() + "=" + h.role()));
      } else {
        cmd.addAll(List.of("--pod-iface", h.pod() + "=ht-" + h.pod() + ":" + h.iface()));
      }
    }
    Path log = logs.resolve("sensor-" + node + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(repo.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("HOPTRACE_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
    Files.writeString(log.resolveSibling("sensor-" + node + ".cmd"), String.join(" ", cmd) + "\n");
    Process proc = pb.start();
    STARTED.add(proc.toHandle());
    return new Sensor(node, proc, log);
  }

  /** Waits for the sensor's line containing {@code text} (e.g. "capturing on") and returns it. */
  private static String awaitLine(Sensor s, String text) throws Exception {
    long deadline = System.nanoTime() + SENSOR_START.toNanos();
    while (true) {
      Optional<String> line =
          Files.readAllLines(s.log()).stream().filter(l -> l.contains(text)).findFirst();
      if (line.isPresent()) {
        return line.get();
      }
      if (!s.process().isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError(
            "sensor of "
                + s.node()
                + (s.process().isAlive()
                    ? " no '" + text + "' after "
                    : " exited before '" + text + "'; ")
                + SENSOR_START.toSeconds()
                + " s:\n"
                + Files.readString(s.log()));
      }
      Thread.sleep(100);
    }
  }

  private static void awaitInventories(EmbeddedPipeline p, Iterable<String> nodes)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (String n : nodes) {
      while (p.job().inventory(n).isEmpty()) {
        p.job().checkHealthy();
        assertThat(System.nanoTime() < deadline)
            .as("inventory of %s in the job's store within 30 s", n)
            .isTrue();
        Thread.sleep(50);
      }
    }
  }

  private static void awaitPublishedInventories(EmbeddedPipeline p, Set<String> nodes) {
    Set<String> seen = new TreeSet<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (TopicTail<NodeInventory> tail =
        new TopicTail<>(p.kafkaClients(), p.topics().nodes(), AvroSerde.nodeInventory()::decode)) {
      while (!seen.containsAll(nodes)) {
        assertThat(System.nanoTime() < deadline)
            .as("inventories of %s on the nodes topic within 30 s (seen: %s)", nodes, seen)
            .isTrue();
        tail.poll(Duration.ofMillis(100)).forEach(i -> seen.add(i.value().getNode()));
      }
    }
  }

  /** The scenario's packet summaries (topic order) and inventories, for whoever reads a failure. */
  private static void writeEvidence(EmbeddedPipeline p, Path logs, List<PacketSummary> packets)
      throws IOException {
    try (SummaryJson out =
        new SummaryJson(Files.newBufferedWriter(logs.resolve("summaries.jsonl")))) {
      for (PacketSummary s : packets) {
        out.write(s);
      }
    }
    try (TopicTail<NodeInventory> tail =
        new TopicTail<>(p.kafkaClients(), p.topics().nodes(), AvroSerde.nodeInventory()::decode)) {
      StringBuilder sb = new StringBuilder();
      tail.readToEnd(Duration.ofSeconds(30)).forEach(i -> sb.append(i.value()).append('\n'));
      Files.writeString(logs.resolve("inventories.txt"), sb);
    }
    // what the sensors said the kernel dropped, and the incidents (with their drop reasons)
    try (TopicTail<KernelDrop> tail =
        new TopicTail<>(p.kafkaClients(), p.topics().drops(), AvroSerde.kernelDrop()::decode)) {
      StringBuilder sb = new StringBuilder();
      tail.readToEnd(Duration.ofSeconds(30)).forEach(i -> sb.append(i.value()).append('\n'));
      Files.writeString(logs.resolve("drops.txt"), sb);
    }
    StringBuilder sb = new StringBuilder();
    p.readIncidents().forEach(i -> sb.append(i).append('\n'));
    Files.writeString(logs.resolve("incidents.txt"), sb);
  }

  /** SIGTERM (the sensor stops its captures and flushes), then waits; what went wrong. */
  private static List<String> stopSensors(List<Sensor> sensors) throws Exception {
    List<String> problems = new ArrayList<>();
    for (Sensor s : sensors) {
      s.process().destroy();
    }
    for (Sensor s : sensors) {
      if (!s.process().waitFor(SENSOR_STOP.toSeconds(), TimeUnit.SECONDS)) {
        problems.add("sensor of " + s.node() + " still running " + SENSOR_STOP + " after SIGTERM");
        continue;
      }
      int code = s.process().exitValue();
      // 143: the JVM's exit status after SIGTERM once its shutdown hook (stop, flush) finished
      if (code != 0 && code != 143) {
        problems.add("sensor of " + s.node() + " exited with " + code);
      }
      // the last stats line, printed after the captures stopped and the publisher flushed
      String last =
          Files.readString(s.log())
              .lines()
              .filter(l -> l.startsWith("sent "))
              .reduce((a, b) -> b)
              .orElse("");
      if (!last.contains(", failed 0;")) {
        problems.add("sensor of " + s.node() + " did not flush cleanly: '" + last + "'");
      }
    }
    return problems;
  }

  // ------------------------------------------------------------------ lab

  private static Process startLab(Path log, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
    cmd.addAll(args);
    return new ProcessBuilder(cmd)
        .directory(repo.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static int lab(Path log, Duration timeout, String... args) throws Exception {
    Process p = startLab(log, List.of(args));
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError(
          "lab.sh " + String.join(" ", args) + " did not finish in " + timeout);
    }
    return p.exitValue();
  }

  private static List<String> labNamespaces() {
    List<String> out = new ArrayList<>();
    for (String line : TestNetns.must("ip", "netns", "list").split("\n")) {
      String name = line.trim().split("\\s+")[0];
      if (name.startsWith("ht-")) {
        out.add(name);
      }
    }
    return out;
  }

  /** True if the process still runs after a short grace (a zombie awaiting its reaper is dead). */
  private static boolean aliveAfterGrace(ProcessHandle h) throws InterruptedException {
    Path stat = Path.of("/proc", Long.toString(h.pid()), "stat");
    for (int i = 0; i < 50; i++) {
      if (!h.isAlive()) {
        return false;
      }
      try {
        String s = Files.readString(stat);
        if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
          return false;
        }
      } catch (IOException gone) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  // ------------------------------------------------------------------ report

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + "/" + f[1] + "/" + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static synchronized void writeReport(boolean finished) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("hoptrace live end-to-end (lab) — LiveOverlayIT\n");
    sb.append(
        String.format(
            "machine: %d CPUs, load (1/5/15 min) at start %s, now %s; %s; elapsed %.0f s%s%n",
            Runtime.getRuntime().availableProcessors(),
            loadAtStart,
            loadAverage(),
            Instant.now(),
            (System.nanoTime() - classStart) / 1e9,
            finished ? "" : " (running)"));
    sb.append(
        "latency = arrival of the last expected alert on the alerts topic (read_committed) minus"
            + " the capture timestamp of the scenario's first packet summary\n\n");
    sb.append(
        String.format(
            "%-24s %-6s %-44s %-48s %s%n",
            "scenario", "result", "expected alerts", "lostAt (truth)", "latency ms"));
    for (Result r : RESULTS.values()) {
      sb.append(
          String.format(
              "%-24s %-6s %-44s %-48s %s%n",
              r.scenario(),
              r.pass() ? "PASS" : "FAIL",
              r.expected().isEmpty() ? "(none)" : String.join(",", r.expected()),
              r.lostAt(),
              r.latencyMs() == null ? "-" : r.latencyMs().toString()));
    }
    for (Result r : RESULTS.values()) {
      sb.append("\n== ").append(r.scenario()).append('\n').append(r.detail());
    }
    Files.writeString(
        target.resolve("live-overlay-report.txt"), sb.toString(), StandardCharsets.UTF_8);
  }
}
