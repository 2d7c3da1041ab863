package io.hoptrace.cli;

import io.hoptrace.pipeline.bench.DetectBench;
import io.hoptrace.reduce.SummaryMode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hoptrace bench detect}: throughput of the detection job (Kafka Streams with one stream
 * thread by default, or Flink with {@code --engine flink}), and first-packet-to-alert latency of a
 * one-way flow, on the embedded broker. The measuring is {@link DetectBench}'s; this class holds
 * the options.
 */
@Command(
    name = "detect",
    mixinStandardHelpOptions = true,
    description = {
      "1. Throughput: pre-loads at least --summaries packet summaries into the packets topic"
          + " (whole copies of the healthy lab recording, each copy its own conversations: client"
          + " ports renumbered, fingerprints unique, --concurrency copies in flight, capture-time"
          + " order), then starts the job (--engine streams: --threads stream threads, 1 by"
          + " default; --engine flink: a local MiniCluster at --parallelism; exactly-once either"
          + " way) and times it from"
          + " RUNNING until it has committed everything including the FLUSH. Prints the outputs"
          + " and the records and bytes written to each internal topic; an alert on this healthy"
          + " load fails the run. --baseline first times a pass-through job over the same"
          + " records (Flink: a job with the same Kafka source that only counts; its rate is also"
          + " given per slot).",
      "2. Latency: with the job running (the same settings), publishes one TCP SYN stamped now"
          + " and measures the wall time until its ONE_WAY alert is readable on the alerts"
          + " topic; --runs times, p50/p99 printed (the one-way window, 10 s by default, is part"
          + " of it)."
    })
final class DetectBenchCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--summaries",
      defaultValue = "1000000",
      description = "Summaries for the throughput run (default: ${DEFAULT-VALUE}).")
  long summaries;

  @Option(
      names = "--runs",
      defaultValue = "5",
      description =
          "One-way flows timed for the latency run, 0 to skip (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--concurrency",
      defaultValue = "100",
      description =
          "Copies of the template in flight at once (each copy its own conversations, started"
              + " span/N apart in event time; default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--baseline",
      description =
          "Also time a pass-through job over the same records (same source, Avro serde,"
              + " timestamp extractor and Streams settings; its processor only counts): the"
              + " ceiling Kafka Streams itself sets on this machine.")
  boolean baseline;

  @Option(
      names = "--streams-property",
      paramLabel = "KEY=VALUE",
      description =
          "A Kafka Streams property of the timed jobs, e.g. commit.interval.ms=500"
              + " (repeatable).")
  Map<String, String> streamsProperties = new LinkedHashMap<>();

  @Mixin DetectionOptions detectionOptions;

  @Option(
      names = "--summary-mode",
      paramLabel = "reduced|full",
      description =
          "What the throughput run's sensors publish (the --summaries of analyze, demo and sensor;"
              + " here --summaries is the load size): 'reduced', the load's packets through the"
              + " sensor's reducer, or 'full', one summary per packet (default: reduced).")
  String summaryMode;

  @Option(
      names = "--template",
      paramLabel = "MANIFEST",
      description = "Recording to copy (default: the bundled healthy scenario).")
  Path template;

  @Mixin PipelineOptions pipelineOptions;

  @Mixin EngineOptions engineOptions;

  @Override
  public Integer call() throws Exception {
    engineOptions.check(pipelineOptions.threads != null);
    engineOptions.streamsOnly(!streamsProperties.isEmpty(), "--streams-property");
    DetectBench.Settings settings =
        new DetectBench.Settings(
            summaries,
            runs,
            concurrency,
            baseline,
            streamsProperties,
            detectionOptions.config(),
            pipelineOptions.config(),
            template,
            summaryMode == null
                ? SummaryMode.DEFAULT
                : SummaryMode.parse("--summary-mode", summaryMode));
    new DetectBench(
            settings,
            engineOptions.benchEngine(
                settings.detection(), settings.pipeline(), settings.streamsProperties()))
        .run(spec.commandLine().getOut());
    return 0;
  }
}
