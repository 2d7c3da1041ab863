package io.hoptrace.cli;

import io.hoptrace.pcap.PcapRequester;
import io.hoptrace.pcap.PcapSubject;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.Topics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hoptrace pcap}: the packets of an incident or a conversation from every live sensor's
 * rings, as one pcapng ({@link PcapRequester}); options and printing only.
 */
@Command(
    name = "pcap",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Asks every live sensor (over Kafka) for the packets its rings keep of an incident's"
          + " conversations or of one conversation (every hop, both directions, encapsulated and"
          + " NAT-ed forms included, headers only) and writes them as one pcapng: one interface"
          + " per hop (if_name = hop id, if_description = role), packets in time order. The"
          + " conversations come from the detection job's incidents, alerts and flows topics.",
      "",
      "hoptrace pcap --incident 3f0c... --bootstrap kafka:9092 -o incident.pcapng"
    })
final class PcapCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @ArgGroup(multiplicity = "1")
  Subject subject;

  static final class Subject {
    @Option(
        names = "--incident",
        paramLabel = "ID",
        required = true,
        description = "The packets of this incident's conversations.")
    String incident;

    @Option(
        names = "--conversation",
        paramLabel = "ID",
        required = true,
        description = "The packets of this conversation (its flow records' conversationId).")
    String conversation;
  }

  @Option(
      names = "--bootstrap",
      required = true,
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers of the sensors' and the job's cluster.")
  String bootstrap;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "FILE.pcapng",
      description = "Where to write the pcapng (replaced if it exists).")
  Path output;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description =
          "How long to wait for the sensors' answers (default: ${DEFAULT-VALUE}); answering ends"
              + " earlier once every node of the nodes topic has answered.")
  int timeoutSeconds;

  @Option(
      names = "--topic-prefix",
      defaultValue = Topics.DEFAULT_PREFIX,
      description = "Prefix of hoptrace's topics (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Mixin KafkaConnectOptions connect;

  @Mixin DetectionOptions detectionOptions;

  @Override
  public Integer call() throws Exception {
    if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
      throw new IllegalArgumentException("--timeout " + timeoutSeconds + ": must be 1..3600");
    }
    Path parent = output.toAbsolutePath().getParent();
    if (Files.isDirectory(output)) {
      throw new IllegalArgumentException("-o " + output + ": is a directory");
    }
    if (!Files.isDirectory(parent)) {
      throw new IllegalArgumentException("-o " + output + ": no directory " + parent);
    }
    if (!Files.isWritable(parent)) {
      throw new IllegalArgumentException(
          "-o " + output + ": directory " + parent + " not writable");
    }
    Topics topics = Topics.withPrefix(topicPrefix);
    var cfg = detectionOptions.config();
    KafkaClientSettings kafka = connect.check(bootstrap);
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    Duration read = Duration.ofSeconds(30);
    PcapSubject s =
        subject.incident != null
            ? PcapSubject.incident(kafka, topics, subject.incident, cfg, read)
            : PcapSubject.conversation(kafka, topics, subject.conversation, cfg, read);
    PrintWriter err = spec.commandLine().getErr();
    err.printf(
        "hoptrace pcap: %s: %d conversation(s), %d flow key(s); asking the sensors (up to %d s)%n",
        s.description(),
        s.conversationIds().size(),
        s.selection().flowKeys().size(),
        timeoutSeconds);
    err.flush();
    PcapRequester.Result r = PcapRequester.run(kafka, topics, s, output, timeout);
    err.printf(
        "hoptrace pcap: wrote %s: %d packet(s) from %d hop(s) %s; answers from %s%n",
        output, r.packets(), r.packetsPerHop().size(), r.packetsPerHop(), r.packetsPerNode());
    if (!r.silentNodes().isEmpty()) {
      err.printf(
          "hoptrace pcap: no (complete) answer within %d s from %s%n",
          timeoutSeconds, r.silentNodes());
    }
    err.flush();
    return 0;
  }
}
