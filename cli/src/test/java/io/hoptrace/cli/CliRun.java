package io.hoptrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs a hoptrace command in-process and keeps its exit code, stdout and stderr. */
record CliRun(int exitCode, String out, String err) {
  static final ObjectMapper JSON = new ObjectMapper();

  static CliRun run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    // ITs choose their Kafka by -Dhoptrace.it.kafka (ItKafka): analyze runs on it
    int code = cl.execute(ItKafka.route(args));
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The stdout lines parsed as JSON. */
  List<JsonNode> jsonLines() {
    List<JsonNode> out = new ArrayList<>();
    for (String line : out().split("\n")) {
      if (!line.isBlank()) {
        try {
          out.add(JSON.readTree(line));
        } catch (Exception e) {
          throw new AssertionError("not a JSON line: " + line, e);
        }
      }
    }
    return out;
  }

  /** The repository's root (the cli module's parent). */
  static Path repoRoot() {
    Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("deploy/lab/recordings"))) {
        return p;
      }
    }
    throw new IllegalStateException("no deploy/lab/recordings above " + here);
  }
}
