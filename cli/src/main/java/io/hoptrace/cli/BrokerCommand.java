package io.hoptrace.cli;

import io.hoptrace.embedded.EmbeddedKafka;
import io.hoptrace.pipeline.PipelineConfig;
import io.hoptrace.schema.TopicSettings;
import io.hoptrace.schema.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hoptrace broker}: the embedded single-node Kafka broker on its own, until Ctrl-C. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the embedded single-node Kafka broker (KRaft, in-process) until Ctrl-C, for trying"
          + " `hoptrace sensor` and `hoptrace run` on one machine without an external Kafka.",
      "Listens on 127.0.0.1 only."
    })
final class BrokerCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "9092",
      description = "Client port, 0..65535 (default: ${DEFAULT-VALUE}; 0: any free port).")
  int port;

  @Option(
      names = "--data-dir",
      description = "Keep the broker's data here across restarts (default: a temporary directory).")
  Path dataDir;

  @Option(
      names = "--topic-prefix",
      defaultValue = "hoptrace.",
      description =
          "Create the hoptrace topics with this prefix at start (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(
      names = "--packets-partitions",
      paramLabel = "N",
      defaultValue = "" + TopicSettings.DEFAULT_PACKETS_PARTITIONS,
      description =
          "Partitions of the packets topic (default: ${DEFAULT-VALUE}; NAT stitching needs the"
              + " tuples of one conversation on one task).")
  int packetsPartitions;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "--port " + port + ": must be 0..65535 (0: any free port)");
    }
    PipelineOptions.check(
        PipelineConfig.PACKETS_PARTITIONS, packetsPartitions, "--packets-partitions");
    Topics topics = Topics.withPrefix(topicPrefix);
    EmbeddedKafka.Builder builder = EmbeddedKafka.builder();
    if (port > 0) {
      builder.port(port);
    }
    if (dataDir != null) {
      builder.dataDir(dataDir);
    }
    CountDownLatch stop = new CountDownLatch(1);
    // a second broker on a data directory in use stops here (DataDirInUseException), before
    // anything in the directory is read; a taken --port too (PortInUseException): one line, exit 2
    try (EmbeddedKafka kafka = builder.start()) {
      // created as every other hoptrace command creates them; existing ones are left as they are
      kafka.createTopics(
          TopicSettings.all(topics, packetsPartitions, java.util.Optional.of((short) 1)));
      out.printf(
          "bootstrap: %s (topics %s; Ctrl-C to stop)%n", kafka.bootstrapServers(), topics.all());
      out.flush();
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "hoptrace-broker-stop"));
      stop.await();
    }
    return 0;
  }
}
