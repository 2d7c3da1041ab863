package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hoptrace.capture.TestNetns;
import io.hoptrace.contract.HopId;
import io.hoptrace.contract.IpProto;
import io.hoptrace.embedded.EmbeddedKafka;
import io.hoptrace.pipeline.TopicTail;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.PacketsRecordSerde;
import io.hoptrace.schema.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node with as many pods as kubelet allows by default (110, {@code -Dhoptrace.it.pods=N}): 110
 * pod namespaces, each with an {@code eth0} whose veth is on the node namespace's bridge, captured
 * by one {@code ./hoptrace sensor --auto} process (issue 16). Checks that every pod hop and every
 * veth is captured in the sensor's own process — no child per interface, only the short-lived
 * {@code ip} commands of discovery and inventory — and that every pod's pings are published on the
 * packets topic; prints the sensor's RSS, threads and CPU (docs/performance.md, "One sensor, 110
 * pods").
 *
 * <p>Needs root and network namespaces (it skips saying which is missing); CI runs as root.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ManyPodsIT {
  private static final int PODS = Integer.getInteger("hoptrace.it.pods", 110);
  private static final String BRIDGE_IP = "10.250.0.1";

  /**
   * What the sensor may run: discovery's and inventory's {@code ip}, seen also in the two stages
   * before its exec (the JVM's forked child, "java", and the JDK's {@code jspawnhelper}).
   */
  private static final Set<String> SPAWNING = Set.of("ip", "java", "jspawnhelper");

  private static String prefix;
  private static String nodeNs;
  private static final List<String> created = new ArrayList<>();
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void setUp() throws Exception {
    String why = TestNetns.unavailableReason();
    assumeTrue(why == null, "many-pods test skipped: " + why);
    assumeTrue(LabCommand.currentEffectiveUid() == 0, "many-pods test skipped: not root");
    Path launcher = CliRun.repoRoot().resolve("hoptrace");
    assumeTrue(
        Files.isDirectory(CliRun.repoRoot().resolve("cli/target/lib")),
        "many-pods test skipped: ./hoptrace needs cli/target/lib (mvn verify builds it)");
    assumeTrue(Files.isExecutable(launcher), "many-pods test skipped: no ./hoptrace");
    prefix = "htm" + (ProcessHandle.current().pid() % 900 + 100) + "-";
    nodeNs = prefix + "node";
    long t0 = System.nanoTime();
    StringBuilder node = new StringBuilder();
    StringBuilder top = new StringBuilder("netns add " + nodeNs + "\n");
    created.add(nodeNs);
    for (int i = 1; i <= PODS; i++) {
      String pod = prefix + "p" + i;
      top.append("netns add ").append(pod).append('\n');
      created.add(pod);
    }
    batch(null, top);
    node.append("link add cni0 type bridge\n")
        .append("addr add ")
        .append(BRIDGE_IP)
        .append("/16 dev cni0\n")
        .append("link set cni0 up\n");
    for (int i = 1; i <= PODS; i++) {
      node.append("link add veth")
          .append(i)
          .append(" type veth peer name eth0 netns ")
          .append(prefix)
          .append('p')
          .append(i)
          .append('\n')
          .append("link set veth")
          .append(i)
          .append(" master cni0 up\n");
    }
    batch(nodeNs, node);
    for (int i = 1; i <= PODS; i++) {
      batch(
          prefix + "p" + i,
          new StringBuilder()
              .append("addr add ")
              .append(podIp(i))
              .append("/16 dev eth0\nlink set eth0 up\nlink set lo up\n"));
    }
    System.out.printf(
        "many-pods: %d pod namespaces set up in %d ms%n",
        PODS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void tearDown() throws Exception {
    for (String ns : created) {
      TestNetns.run("ip", "netns", "del", ns);
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private static String podIp(int i) {
    return "10.250." + (i / 200 + 1) + "." + (i % 200 + 2);
  }

  /** {@code ip [-n NS] -batch -} with {@code lines}; fails the test naming the first error. */
  private static void batch(String ns, CharSequence lines) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    if (ns != null) {
      cmd.addAll(List.of("-n", ns));
    }
    cmd.addAll(List.of("-batch", "-"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().write(lines.toString().getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.strip());
    }
  }

  @Test
  void oneSensorCapturesEveryPodInItsOwnProcess() throws Exception {
    String topicPrefix = prefix.replace("-", "") + ".";
    Path log = CliRun.repoRoot().resolve("cli/target/many-pods-sensor.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                CliRun.repoRoot().resolve("hoptrace").toString(),
                "sensor",
                "--auto",
                "--node",
                "node-m",
                "--netns",
                nodeNs,
                "--pod-netns-prefix",
                prefix,
                "--bootstrap",
                kafka.bootstrapServers(),
                "--topic-prefix",
                topicPrefix,
                "--summaries",
                "full",
                "--drop-reasons",
                "off",
                "--duration",
                "240")
            .redirectErrorStream(true);
    // the Helm chart's sensor: a 512 MiB container limit and -XX:MaxRAMPercentage=60, i.e. a heap
    // of at most 307 MiB, starting at 8 MiB (1/64 of the limit); this test runs outside a
    // container, where both would be of the host's memory (an initial heap of the whole 307 MiB
    // here). The launcher picks the serial collector for the sensor, as the JVM does in the chart's
    // container.
    pb.environment().put("HOPTRACE_JAVA_OPTS", "-Xmx307m -Xms8m");
    Process sensor = pb.start();
    Set<String> childCommands = new ConcurrentSkipListSet<>();
    AtomicInteger maxChildren = new AtomicInteger();
    Thread watcher =
        new Thread(
            () -> {
              while (sensor.isAlive()) {
                List<ProcessHandle> now = sensor.descendants().toList();
                maxChildren.accumulateAndGet(now.size(), Math::max);
                now.forEach(
                    h ->
                        h.info()
                            .command()
                            .ifPresent(
                                c -> childCommands.add(Path.of(c).getFileName().toString())));
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    watcher.setDaemon(true);
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(sensor.getInputStream(), StandardCharsets.UTF_8))) {
      List<String> lines = new ArrayList<>();
      String capturing = null;
      long startNanos = System.nanoTime();
      for (String line; (line = out.readLine()) != null; ) {
        lines.add(line);
        if (line.startsWith("capturing on")) {
          capturing = line;
          break;
        }
      }
      assertThat(capturing).as("sensor output: %s", lines).isNotNull();
      long startedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      Thread drain = new Thread(() -> drain(out, log));
      drain.setDaemon(true);
      drain.start();
      watcher.start();
      for (int i = 1; i <= PODS; i++) {
        assertThat(capturing).contains(HopId.format("node-m", "p" + i, "eth0"));
        assertThat(capturing).contains(HopId.format("node-m", null, "veth" + i));
      }
      long cpuStart = cpuTicks(sensor.pid());
      // every pod pings the bridge 3 times (children of this test, not of the sensor)
      List<Process> pings = new ArrayList<>();
      for (int i = 1; i <= PODS; i++) {
        pings.add(
            new ProcessBuilder(
                    "ip",
                    "netns",
                    "exec",
                    prefix + "p" + i,
                    "ping",
                    "-c",
                    "3",
                    "-i",
                    "0.3",
                    "-W",
                    "2",
                    BRIDGE_IP)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start());
      }
      int failed = 0;
      for (Process p : pings) {
        failed += p.waitFor() == 0 ? 0 : 1;
      }
      assertThat(failed).as("pods whose pings were not answered").isZero();
      Thread.sleep(3_000); // the last packets out of libpcap's 100 ms batches and the producer
      long cpuTraffic = cpuTicks(sensor.pid()) - cpuStart;
      long idleStart = cpuTicks(sensor.pid());
      Thread.sleep(10_000);
      long cpuIdle = cpuTicks(sensor.pid()) - idleStart;
      Map<String, String> status = procStatus(sensor.pid());
      sensor.destroy();
      assertThat(sensor.waitFor(60, TimeUnit.SECONDS)).as("sensor stops on SIGTERM").isTrue();
      watcher.join(5_000);

      Map<String, Integer> perHop = new TreeMap<>();
      try (TopicTail<SpecificRecord> tail =
          new TopicTail<>(
              KafkaClientSettings.plain(kafka.bootstrapServers()),
              Topics.withPrefix(topicPrefix).packets(),
              b -> PacketsRecordSerde.get().decode(null, b))) {
        for (TopicTail.Item<SpecificRecord> i : tail.readToEnd(Duration.ofSeconds(60))) {
          if (i.value() instanceof PacketSummary s && s.getProto() == IpProto.ICMP) {
            perHop.merge(HopId.format(s.getNode(), s.getPod(), s.getIface()), 1, Integer::sum);
          }
        }
      }
      Set<String> short_ = new TreeSet<>();
      for (int i = 1; i <= PODS; i++) {
        for (String hop :
            List.of(
                HopId.format("node-m", "p" + i, "eth0"),
                HopId.format("node-m", null, "veth" + i))) {
          if (perHop.getOrDefault(hop, 0) < 6) {
            short_.add(hop + "=" + perHop.getOrDefault(hop, 0));
          }
        }
      }
      assertThat(short_).as("hops with fewer than 3 echo requests + 3 replies published").isEmpty();
      System.out.printf(
          "many-pods: %d pods, %d hops captured by one sensor (started in %d ms); children seen:"
              + " %s (at most %d at once); VmRSS %s (RssAnon %s, RssFile %s: the packet rings),"
              + " VmHWM %s, threads %s; CPU %.2f s during the"
              + " pings (%d pods x 6 packets x 2 hops), %.2f s in the next 10 s idle; ICMP"
              + " summaries published %d%n",
          PODS,
          2 * PODS + 1,
          startedMs,
          childCommands,
          maxChildren.get(),
          status.get("VmRSS"),
          status.get("RssAnon"),
          status.get("RssFile"),
          status.get("VmHWM"),
          status.get("Threads"),
          cpuTraffic / 100.0,
          PODS,
          cpuIdle / 100.0,
          perHop.values().stream().mapToInt(Integer::intValue).sum());
      Set<String> others =
          childCommands.stream()
              .filter(c -> !SPAWNING.contains(c))
              .collect(Collectors.toCollection(TreeSet::new));
      assertThat(others).as("child processes of the sensor other than discovery's ip").isEmpty();
      // one capture process per interface would be 2 x PODS children at once
      assertThat(maxChildren.get()).as("children of the sensor at once").isLessThanOrEqualTo(4);
    } finally {
      if (sensor.isAlive()) {
        sensor.destroyForcibly();
      }
    }
  }

  private static void drain(BufferedReader out, Path log) {
    try (var w = Files.newBufferedWriter(log)) {
      for (String line; (line = out.readLine()) != null; ) {
        w.write(line);
        w.newLine();
      }
    } catch (IOException e) {
      // the sensor ended
    }
  }

  /** utime + stime of a process and its threads, in clock ticks (100 per second). */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static Map<String, String> procStatus(long pid) throws IOException {
    Map<String, String> m = new TreeMap<>();
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      int c = line.indexOf(':');
      if (c > 0) {
        m.put(line.substring(0, c), line.substring(c + 1).strip());
      }
    }
    return m;
  }
}
