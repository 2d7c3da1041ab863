package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.embedded.EmbeddedKafka;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.pipeline.EndOfInput;
import io.hoptrace.replay.Manifest;
import io.hoptrace.replay.MergedCaptures;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hoptrace on an authenticated, encrypted Kafka: one embedded broker with a PLAINTEXT listener and
 * a SASL_SSL one (SCRAM-SHA-512, a certificate signed by a CA made for the test). The sensor, the
 * detection job ({@code run}) and {@code analyze --bootstrap} given {@code --kafka-config} work
 * over SASL_SSL and give what they give over PLAINTEXT; a wrong password or an untrusted
 * certificate ends a command with one line and exit code 2 within its --connect-timeout.
 */
class SaslKafkaIT {
  private static final String USER = "hoptrace";
  private static final String PASSWORD = "s3cret-pw";
  private static final Path RECORDING = CliRun.repoRoot().resolve("deploy/lab/recordings/dual-ip");

  /** The wall clock out of the job (as RestartIT): the alerts depend on the input only. */
  private static final DetectionConfig DETECTION =
      DetectionConfig.defaults().with(DetectionConfig.SILENCE_MS, "3600000");

  @TempDir static Path tmp;

  private static EmbeddedKafka cluster;
  private static TestCa ca;
  private static Path goodConfig;

  @BeforeAll
  static void startCluster() throws Exception {
    ca = TestCa.create(tmp.resolve("ca"));
    cluster =
        EmbeddedPipeline.brokerForJob()
            .saslSsl(new EmbeddedKafka.SaslSsl(ca.brokerKeystore, TestCa.PASSWORD, USER, PASSWORD))
            .start();
    goodConfig = config("good.properties", PASSWORD, ca.truststore);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A --kafka-config file for the SASL_SSL listener. */
  private static Path config(String name, String password, Path truststore) throws Exception {
    Path f = tmp.resolve(name);
    Files.writeString(
        f,
        String.join(
            "\n",
            "# SASL_SSL with SCRAM-SHA-512",
            "security.protocol=SASL_SSL",
            "sasl.mechanism=SCRAM-SHA-512",
            "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\",
            "    username=\"" + USER + "\" password=\"" + password + "\";",
            "ssl.truststore.location=" + truststore,
            "ssl.truststore.password=" + TestCa.PASSWORD,
            "ssl.truststore.type=PKCS12",
            ""));
    return f;
  }

  @Test
  void analyzeOverSaslSslGivesTheAlertsOfPlaintext() throws Exception {
    JsonNode truth = CliRun.JSON.readTree(Files.readString(RECORDING.resolve("truth.json")));
    String manifest = RECORDING.resolve("manifest.json").toString();
    CliRun sasl =
        CliRun.run(
            "analyze",
            "--bootstrap",
            cluster.saslSslBootstrapServers(),
            "--kafka-config",
            goodConfig.toString(),
            manifest);
    assertThat(sasl.exitCode()).as(sasl.err()).isZero();
    assertThat(sasl.err()).contains("Kafka at " + cluster.saslSslBootstrapServers());
    CliRun plain = CliRun.run("analyze", "--bootstrap", cluster.bootstrapServers(), manifest);
    assertThat(plain.exitCode()).as(plain.err()).isZero();

    List<JsonNode> saslAlerts = alerts(sasl);
    assertThat(TruthCheck.mismatches(truth, saslAlerts)).as(sasl.out()).isEmpty();
    assertThat(saslAlerts).as("SASL_SSL vs PLAINTEXT").isEqualTo(alerts(plain));
  }

  private static List<JsonNode> alerts(CliRun run) {
    return run.jsonLines().stream().filter(n -> !n.has("alertIds")).toList();
  }

  @Test
  void sensorOverSaslSslPublishesWhatItPublishesOverPlaintext() throws Exception {
    long sasl = sensorReplay("sasl", cluster.saslSslBootstrapServers(), goodConfig);
    long plain = sensorReplay("plain", cluster.bootstrapServers(), null);
    assertThat(sasl).isPositive().isEqualTo(plain);
    // --kafka wins over --kafka-config: the file's SASL_SSL, overridden, on the PLAINTEXT port
    long overridden =
        sensorReplay(
            "override",
            cluster.bootstrapServers(),
            goodConfig,
            "--kafka",
            "security.protocol=PLAINTEXT");
    assertThat(overridden).isEqualTo(plain);
  }

  /** Replays node-a's captures of the recording; returns the records on its packets topic. */
  private static long sensorReplay(String prefix, String bootstrap, Path config, String... more)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("sensor", "--node", "node-a"));
    for (String iface : List.of("vetha1", "cni0", "flannel.1", "ens33")) {
      args.addAll(List.of("--pcap", RECORDING.resolve("node-a." + iface + ".pcap").toString()));
      args.addAll(List.of("--iface", iface));
    }
    args.addAll(
        List.of("--bootstrap", bootstrap, "--topic-prefix", prefix + ".", "--no-inventory"));
    if (config != null) {
      args.addAll(List.of("--kafka-config", config.toString()));
    }
    args.addAll(List.of(more));
    CliRun run = CliRun.run(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains(" 0 failed");
    TopicPartition p0 = new TopicPartition(Topics.withPrefix(prefix + ".").packets(), 0);
    return cluster
        .admin()
        .listOffsets(Map.of(p0, OffsetSpec.latest()))
        .partitionResult(p0)
        .get(30, TimeUnit.SECONDS)
        .offset();
  }

  @Test
  void runOverSaslSslGivesTheAlertsOfAJobOverPlaintext() throws Exception {
    Manifest manifest = Manifest.read(RECORDING.resolve("manifest.json"));
    List<MergedCaptures.Item> items =
        MergedCaptures.readAll(manifest.hops(), DecoderConfig.defaults());
    long inventoryTs = 1_000_000_000L;

    List<String> plain;
    try (EmbeddedPipeline p =
        EmbeddedPipeline.builder()
            .bootstrapServers(cluster.bootstrapServers(), true)
            .topics(Topics.withPrefix("plainjob."))
            .applicationId("hoptrace-sasl-it-plain")
            .detection(DETECTION)
            .start()) {
      p.publishInventory(manifest.inventories(inventoryTs), Duration.ofSeconds(60));
      RestartIT.publish(p, items);
      p.endOfInput(Duration.ofMinutes(2));
      plain = RestartIT.describe(p.readAlerts());
    }
    assertThat(plain).isNotEmpty();

    String appId = "hoptrace-sasl-it-run";
    // the test's own clients (topics, publisher, readers) go over SASL_SSL too
    try (EmbeddedPipeline p =
        EmbeddedPipeline.builder()
            .kafka(KafkaClientSettings.load(cluster.saslSslBootstrapServers(), goodConfig), true)
            .topics(Topics.withPrefix("saslrun."))
            .applicationId(appId)
            .startJob(false)
            .start()) {
      p.publishInventory(manifest.inventories(inventoryTs), Duration.ofSeconds(60));
      RestartIT.publish(p, items);
      String[] where = {
        "--bootstrap",
        cluster.saslSslBootstrapServers(),
        "--kafka-config",
        goodConfig.toString(),
        "--topic-prefix",
        "saslrun."
      };
      try (ChildHoptrace job =
          ChildHoptrace.start(
              tmp.resolve("run.log"),
              Map.of(),
              concat(
                  "run",
                  where,
                  "--app-id",
                  appId,
                  "--state-dir",
                  tmp.resolve("run-state").toString(),
                  "--quiet",
                  "--detect",
                  DetectionConfig.SILENCE_MS.key() + "=3600000"))) {
        p.sendFlush();
        EndOfInput.awaitDrained(
            p.admin(),
            appId,
            p.topics(),
            Duration.ofMinutes(3),
            Duration.ofMillis(200),
            () -> {
              if (!job.isAlive()) {
                throw new IllegalStateException("hoptrace run exited:\n" + job.output());
              }
            });
        List<Alert> alerts = p.readAlerts();
        assertThat(RestartIT.describe(alerts)).as(job.output()).isEqualTo(plain);
        // the readers of a running job's topics over SASL_SSL too
        CliRun listed = CliRun.run(concat("alerts", where, "--format", "json"));
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.jsonLines())
            .hasSize((int) alerts.stream().map(Alert::getId).distinct().count());
        CliRun flows = CliRun.run(concat("flows", where, "--format", "json"));
        assertThat(flows.exitCode()).as(flows.err()).isZero();
        assertThat(flows.jsonLines()).isNotEmpty();
      }
    }
  }

  private static String[] concat(String command, String[] args, String... more) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(args));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void aWrongPasswordIsOneLineAndExitCode2() throws Exception {
    Path bad = config("wrong-password.properties", "not-the-password", ca.truststore);
    String sasl = cluster.saslSslBootstrapServers();
    String pcap = RECORDING.resolve("node-a.ens33.pcap").toString();
    List<String[]> commands =
        List.of(
            new String[] {"sensor", "--pcap", pcap, "--node", "node-a", "--no-inventory"},
            new String[] {"run", "--app-id", "hoptrace-sasl-it-bad"},
            new String[] {"analyze", RECORDING.resolve("manifest.json").toString()},
            new String[] {"alerts"});
    for (String[] command : commands) {
      List<String> args = new ArrayList<>(List.of(command));
      args.addAll(
          List.of(
              "--bootstrap", sasl, "--kafka-config", bad.toString(), "--connect-timeout", "10"));
      long t0 = System.nanoTime();
      CliRun run = CliRun.run(args.toArray(String[]::new));
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
      assertThat(run.exitCode()).as(command[0] + ": " + run.err()).isEqualTo(2);
      assertThat(oneLine(run.err(), command[0]))
          .contains("Kafka at " + sasl + " refused the credentials (SASL authentication failed")
          .contains("check --kafka-config " + bad);
      assertThat(seconds).as(command[0] + " took").isLessThan(15);
    }
  }

  @Test
  void anUntrustedCertificateIsOneLineAndExitCode2() throws Exception {
    Path untrusted = config("untrusted.properties", PASSWORD, ca.otherTruststore);
    CliRun run =
        CliRun.run(
            "alerts",
            "--bootstrap",
            cluster.saslSslBootstrapServers(),
            "--kafka-config",
            untrusted.toString(),
            "--connect-timeout",
            "10");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(oneLine(run.err(), "alerts"))
        .contains("TLS handshake with Kafka at " + cluster.saslSslBootstrapServers() + " failed")
        .contains("check --kafka-config " + untrusted);
  }

  /** The command's error output: exactly one line, no stack trace. */
  private static String oneLine(String err, String command) {
    List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).as(command + " printed").hasSize(1);
    assertThat(lines.get(0)).startsWith("hoptrace " + command + ": error: ");
    return lines.get(0);
  }
}
