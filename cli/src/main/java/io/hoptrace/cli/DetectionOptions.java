package io.hoptrace.cli;

import io.hoptrace.detect.DetectionConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --detect KEY=VALUE}: detection settings (SPEC §5 defaults), shared by the commands. */
final class DetectionOptions {

  @Option(
      names = "--detect",
      paramLabel = "KEY=VALUE",
      description =
          "A detection setting, e.g. oneway.window.ms=5000 (repeatable; keys as in"
              + " io.hoptrace.detect.DetectionConfig, with or without the 'hoptrace.detect.'"
              + " prefix).")
  Map<String, String> settings = new LinkedHashMap<>();

  DetectionConfig config() {
    Map<String, String> prefixed = new LinkedHashMap<>();
    settings.forEach(
        (k, v) ->
            prefixed.put(k.startsWith(DetectionConfig.PREFIX) ? k : DetectionConfig.PREFIX + k, v));
    return DetectionConfig.fromMap(prefixed);
  }
}
