package io.hoptrace.cli;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.pcap.IncidentPcapTrigger;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.Topics;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * {@code --[no-]incident-pcaps} of the commands that run a detection job ({@code run}, {@code
 * flink}): whether the job's incidents make the live sensors send their packets when they open
 * ({@link IncidentPcapTrigger}, docs/evidence.md).
 */
final class IncidentPcapOptions {
  @Option(
      names = "--incident-pcaps",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Ask the live sensors for each incident's packets when it opens, while their rings hold"
              + " them; the answers stay on pcap.answers an hour for hoptrace pcap --incident ID"
              + " (default: on; --no-incident-pcaps: off).")
  boolean enabled = true;

  /**
   * The trigger when enabled (lines on {@code err} prefixed by the command), else null; when it
   * cannot start (the pcap topics cannot be created or read: ACLs, say), one line and null — the
   * detection job matters more.
   */
  IncidentPcapTrigger start(
      KafkaClientSettings kafka,
      Topics topics,
      DetectionConfig cfg,
      String command,
      PrintWriter err) {
    if (!enabled) {
      return null;
    }
    try {
      return IncidentPcapTrigger.start(
          kafka,
          topics,
          cfg,
          IncidentPcapTrigger.settle(cfg),
          msg -> {
            err.println("hoptrace " + command + ": " + msg);
            err.flush();
          });
    } catch (RuntimeException e) {
      err.println(
          "hoptrace "
              + command
              + ": not asking the sensors for incidents' packets: "
              + e.getMessage());
      err.flush();
      return null;
    }
  }
}
