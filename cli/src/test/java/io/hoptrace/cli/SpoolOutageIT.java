package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hoptrace.capture.TestNetns;
import io.hoptrace.schema.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's acceptance for the spool: a live sensor ({@code --summaries full --spool-dir})
 * captures ping traffic in a network namespace while its broker — {@code hoptrace broker} in a JVM
 * of its own — is SIGKILLed and, after the outage, started again on the same data directory and
 * port. Every packet the capture delivered is in the packets topic exactly once ({@code
 * read_committed}); with a spool bound smaller than the outage's volume, the topic holds all but
 * exactly the records the sensor counted as dropped. Needs root (namespaces, live capture).
 */
class SpoolOutageIT {

  private static final Pattern STATS =
      Pattern.compile(
          "sent (\\d+) \\(0 counters\\), failed (\\d+); \\S+: (\\d+) pkts, (\\d+) dropped;"
              + " spool (\\d+) records, \\d+ bytes, (\\d+) dropped;");

  @TempDir Path tmp;

  /** What one outage gave: packets captured, records in the topic, duplicates, dropped. */
  record Outcome(
      long captured, long inTopic, long duplicates, long dropped, long failed, long left) {}

  @Test
  void afterAMinuteLongBrokerOutageEveryCapturedPacketIsInTheTopicExactlyOnce() throws Exception {
    Outcome o = outage(60, null);

    assertThat(o.dropped()).isZero();
    assertThat(o.failed()).isZero();
    assertThat(o.left()).as("spool empty at the end").isZero();
    assertThat(o.duplicates()).isZero();
    assertThat(o.inTopic()).isEqualTo(o.captured());
  }

  @Test
  void withASpoolSmallerThanTheOutageExactlyTheOverflowIsCountedAsDropped() throws Exception {
    Outcome o = outage(15, "64k");

    assertThat(o.dropped()).as("the outage's volume is past the bound").isPositive();
    assertThat(o.failed()).isEqualTo(o.dropped());
    assertThat(o.left()).isZero();
    assertThat(o.duplicates()).isZero();
    assertThat(o.inTopic() + o.dropped()).isEqualTo(o.captured());
  }

  private Outcome outage(int outageSeconds, String spoolBound) throws Exception {
    String why = TestNetns.unavailableReason();
    assumeTrue(why == null, why);
    long id = ProcessHandle.current().pid() % 200 + 20 + (spoolBound == null ? 0 : 1);
    String ns = "htspl" + id;
    String hostIf = "htsp" + id + "h";
    String podAddr = "10.215." + id + ".2";
    List<String> namespaces = List.of(ns);
    List<String> links = List.of(hostIf);
    int port = freePort();
    Path data = tmp.resolve("broker");
    String prefix = "spool" + UUID.randomUUID().toString().substring(0, 8) + ".";
    Process ping = null;
    ChildHoptrace broker = null;
    try {
      TestNetns.cleanup(namespaces, links);
      TestNetns.vethToNamespace(ns, hostIf, "10.215." + id);

      broker = startBroker(data, port, "broker-1.log");
      StringWriter err = new StringWriter();
      List<String> args =
          new java.util.ArrayList<>(
              List.of(
                  "sensor",
                  "--node",
                  "node-a",
                  "--iface",
                  hostIf,
                  "--filter",
                  "icmp",
                  "--bootstrap",
                  "127.0.0.1:" + port,
                  "--topic-prefix",
                  prefix,
                  "--no-inventory",
                  "--summaries",
                  "full",
                  "--drop-reasons",
                  "off", // only summaries in the spool: its drops are summaries
                  "--spool-dir",
                  tmp.resolve("spool").toString(),
                  "--duration",
                  Integer.toString(outageSeconds + 35)));
      if (spoolBound != null) {
        args.addAll(List.of("--spool-max-bytes", spoolBound));
      }
      CompletableFuture<Integer> sensor =
          CompletableFuture.supplyAsync(
              () -> {
                picocli.CommandLine cl = Main.commandLine();
                cl.setErr(new PrintWriter(err, true));
                return cl.execute(args.toArray(String[]::new));
              });
      awaitText(err, "capturing on", Duration.ofSeconds(60));
      // ~200 echo requests and as many replies a second until the sensor stops
      ping =
          new ProcessBuilder("ping", "-q", "-i", "0.005", "-s", "200", podAddr)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      Thread.sleep(5_000);

      broker.kill();
      Thread.sleep(TimeUnit.SECONDS.toMillis(outageSeconds));
      broker = startBroker(data, port, "broker-2.log");

      int code = sensor.get(outageSeconds + 120L, TimeUnit.SECONDS);
      ping.destroy();
      assertThat(code).as(err.toString()).isZero();
      String last =
          err.toString().lines().filter(l -> l.startsWith("sent ")).reduce((a, b) -> b).orElse("");
      Matcher m = STATS.matcher(last);
      assertThat(m.find()).as(err.toString()).isTrue();
      assertThat(Long.parseLong(m.group(4))).as("no kernel capture drops").isZero();
      long captured = Long.parseLong(m.group(3));
      Map<ByteBuffer, Integer> copies = readCommitted(port, Topics.withPrefix(prefix).packets());
      long inTopic = copies.values().stream().mapToLong(Integer::longValue).sum();
      Outcome o =
          new Outcome(
              captured,
              inTopic,
              inTopic - copies.size(),
              Long.parseLong(m.group(6)),
              Long.parseLong(m.group(2)),
              Long.parseLong(m.group(5)));
      System.out.printf(
          "spool outage %d s (bound %s): captured %d, in topic %d, duplicates %d, dropped %d%n",
          outageSeconds,
          spoolBound == null ? "1g" : spoolBound,
          o.captured(),
          o.inTopic(),
          o.duplicates(),
          o.dropped());
      assertThat(captured).as("traffic during the outage").isGreaterThan(outageSeconds * 100L);
      return o;
    } finally {
      if (ping != null) {
        ping.destroyForcibly();
      }
      if (broker != null) {
        broker.close();
      }
      TestNetns.cleanup(namespaces, links);
    }
  }

  private ChildHoptrace startBroker(Path data, int port, String log) throws Exception {
    ChildHoptrace b =
        ChildHoptrace.start(
            tmp.resolve(log),
            Map.of(),
            "broker",
            "--port",
            Integer.toString(port),
            "--data-dir",
            data.toString());
    b.awaitOutput("bootstrap: ", Duration.ofSeconds(120));
    return b;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void awaitText(StringWriter w, String text, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!w.toString().contains(text)) {
      if (System.nanoTime() > end) {
        throw new AssertionError("no '" + text + "' after " + timeout + ":\n" + w);
      }
      Thread.sleep(100);
    }
  }

  /** Every record of the topic ({@code read_committed}), by value, with its number of copies. */
  private static Map<ByteBuffer, Integer> readCommitted(int port, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Map<ByteBuffer, Integer> copies = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          copies.merge(ByteBuffer.wrap(r.value()), 1, Integer::sum);
        }
      }
    }
    return copies;
  }
}
