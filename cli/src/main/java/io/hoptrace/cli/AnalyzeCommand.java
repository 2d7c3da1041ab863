package io.hoptrace.cli;

import io.hoptrace.capture.CaptureStats;
import io.hoptrace.evidence.IncidentFlows;
import io.hoptrace.notify.AlertSinks;
import io.hoptrace.pipeline.DetectionHost;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.pipeline.PipelineConfig;
import io.hoptrace.reduce.SummaryMode;
import io.hoptrace.replay.Analysis;
import io.hoptrace.replay.IncidentPcaps;
import io.hoptrace.replay.Manifest;
import io.hoptrace.replay.MergedCaptures;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.Incident;
import io.hoptrace.schema.KafkaClientSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hoptrace analyze MANIFEST.json}: one replay through the real pipeline, alerts out. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Replays one capture per hop (listed in MANIFEST.json) through the real pipeline: an"
          + " embedded Kafka broker and the Kafka Streams detection job. Publishes the nodes'"
          + " inventory, then every hop's packets merged in timestamp order, then the end-of-input"
          + " marker; waits until the job has drained; prints the incidents (one per cause: incidentId,"
          + " cause, status, lostAt, alertIds), then the alerts (each with its incidentId; and"
          + " with --flows the flow records) as JSON lines on stdout. Progress goes to stderr. --partitions and"
          + " --threads scale the pipeline (packets partitions, stream threads; 1 each by"
          + " default).",
      "Manifest: {\"nodes\": [{\"name\", \"addresses\": [...], \"podCidr\", \"podCidrs\": [...], \"vteps\":"
          + " [{\"device\", \"vni\", \"local\", \"port\", \"fdb\": [{\"mac\", \"dst\"}]}]}], \"hops\":"
          + " [{\"node\", \"pod\", \"iface\", \"role\", \"file\"}]} (pod, role, fdb optional; podCidrs:"
          + " one per address family on a dual-stack node; file relative to the manifest or"
          + " absolute).",
      "Each incident and alert is printed once, in its last state (alerts: as they stood while"
          + " FIRING; end of input resolves every alert); --updates prints every record of the"
          + " incidents and alerts topics instead."
    })
final class AnalyzeCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "MANIFEST.json", description = "The manifest of nodes and hops.")
  Path manifest;

  @Option(names = "--flows", description = "Also print the flow records (one per conversation).")
  boolean flows;

  @Option(
      names = "--updates",
      description = "Print every alert record (FIRING, updates, RESOLVED) in topic order.")
  boolean updates;

  @Option(
      names = "--timeout",
      defaultValue = "PT5M",
      description = "Longest wait for the job to drain, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--bootstrap",
      paramLabel = "HOST:PORT",
      description =
          "Use this Kafka instead of starting an embedded broker. The run gets topics and an"
              + " application id of its own (prefix hoptrace.analyze-<id>.), deleted when it"
              + " ends; the cluster must accept transactions (exactly-once).")
  String bootstrap;

  @Option(
      names = "--incident-pcaps",
      paramLabel = "DIR",
      description =
          "Also write one <incidentId>.pcapng per incident into DIR (created if missing): the"
              + " packets of the conversations it concerns from every hop, both directions,"
              + " encapsulated and NAT-ed forms included, one interface per hop (if_name = hop id,"
              + " if_description = role), in capture-time order.")
  Path incidentPcaps;

  @Mixin DecoderOptions decoderOptions;

  @Mixin SummariesOption summariesOption;

  @Mixin DetectionOptions detectionOptions;

  @Mixin PipelineOptions pipelineOptions;

  @Mixin NotifyOptions notifyOptions;

  @Mixin JobMetricsOptions metricsOptions;

  @Mixin EngineOptions engineOptions;

  @Mixin StoreOptions storeOptions;

  @Mixin StateDirOptions stateDirOptions;

  @Mixin KafkaConnectOptions connect;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PipelineConfig pipelineConfig = pipelineOptions.config();
    SummaryMode mode = summariesOption.mode();
    NotifyOptions.validate(notifyOptions);
    metricsOptions.validate();
    engineOptions.check(pipelineOptions.threads != null);
    if (engineOptions.flink() && bootstrap != null) {
      throw new IllegalArgumentException(
          "--engine flink runs on the embedded broker only (--bootstrap is not supported with it"
              + " yet)");
    }
    storeOptions.config();
    KafkaClientSettings kafka = connect.validate(bootstrap);
    if (incidentPcaps != null) {
      try {
        IncidentPcaps.checkDirectory(incidentPcaps);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--incident-pcaps " + e.getMessage(), e);
      }
    }
    // the manifest and every hop's capture are checked before any broker starts or is reached
    Manifest m = Manifest.read(manifest);
    MergedCaptures.check(m.hops());
    if (kafka != null) {
      connect.check(kafka, kafka.client());
    }
    EmbeddedPipeline.Builder b =
        stateDirOptions.apply(
            EmbeddedPipeline.builder().detection(detectionOptions.config()).config(pipelineConfig));
    String where = "the embedded broker";
    if (bootstrap != null) {
      String run = "analyze-" + java.util.UUID.randomUUID().toString().substring(0, 8);
      b.kafka(kafka, true)
          .topics(io.hoptrace.schema.Topics.withPrefix("hoptrace." + run + "."))
          .applicationId("hoptrace-" + run);
      where = "Kafka at " + bootstrap + " (topics hoptrace." + run + ".*, deleted at the end)";
    }
    err.println(
        "hoptrace analyze: "
            + m.hops().size()
            + " hop(s), "
            + m.nodes().size()
            + " node(s); "
            + engineOptions.describe(pipelineConfig)
            + " on "
            + where);
    err.flush();
    Analysis.Result r;
    try (DetectionHost p =
            engineOptions.flink()
                ? engineOptions.startFlink(detectionOptions.config(), pipelineConfig)
                : b.start();
        JobMetricsOptions.Served metrics =
            metricsOptions.start(JobMetricsOptions.statsOf(p), "analyze", err).follow(p);
        StoreOptions.Writer store = storeOptions.start(p, "analyze", err)) {
      r =
          new Analysis(p, decoderOptions.config(), InstantSource.system(), timeout)
              .summaries(mode)
              .run(
                  m,
                  msg -> {
                    err.println("hoptrace analyze: " + msg);
                    err.flush();
                  });
    }
    for (Map.Entry<String, CaptureStats> e : r.captures().entrySet()) {
      CaptureStats s = e.getValue();
      if (s.hasProblems()) {
        err.println(
            "hoptrace analyze: hop "
                + e.getKey()
                + " ("
                + m.hop(e.getKey()).file()
                + "): "
                + s.describe());
      }
    }
    // incidents first: one line per cause, then the alerts it explains (each names its incident)
    for (Incident i : updates ? r.incidentRecords() : r.incidents()) {
      out.println(OutputJson.incidentLine(i));
    }
    List<Alert> alerts = updates ? r.alertRecords() : r.alerts();
    for (Alert a : alerts) {
      out.println(OutputJson.alertLine(a));
    }
    if (flows) {
      for (FlowRecord f : r.flows()) {
        out.println(OutputJson.flowLine(f));
      }
    }
    out.flush();
    if (incidentPcaps != null) {
      writeIncidentPcaps(m, r, err);
    }
    if (notifyOptions.alertmanager != null || notifyOptions.syslog != null) {
      // every record in the job's order: FIRING, updates, the RESOLVED of the end of input
      try (AlertSinks sinks = notifyOptions.open()) {
        r.alertRecords().forEach(sinks);
        NotifyOptions.finish(sinks, "analyze", err);
      }
    }
    err.println(
        "hoptrace analyze: "
            + r.summaries()
            + " packets, "
            + mode.describe(r.records() - r.counters(), r.counters())
            + ", "
            + r.incidents().size()
            + " incident(s), "
            + r.alerts().size()
            + " alert(s), "
            + r.flows().size()
            + " conversation(s)");
    err.flush();
    return 0;
  }

  private void writeIncidentPcaps(Manifest m, Analysis.Result r, PrintWriter err) throws Exception {
    List<IncidentFlows.Selected> selected =
        IncidentFlows.select(
            r.incidentRecords(),
            r.alertRecords(),
            r.flowRecords(),
            IncidentPcaps.slackNanos(detectionOptions.config()),
            IncidentPcaps.lateNanos(detectionOptions.config()));
    for (IncidentPcaps.Written w :
        IncidentPcaps.write(m, decoderOptions.config(), selected, incidentPcaps)) {
      err.println(
          "hoptrace analyze: wrote "
              + w.file()
              + ": "
              + w.packets()
              + " packet(s) of "
              + w.conversationIds().size()
              + " conversation(s) from "
              + w.packetsPerHop().size()
              + " hop(s) "
              + w.packetsPerHop());
    }
    err.flush();
  }
}
