package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze} with one hop's capture cut short (issue 17, finding 7): the run goes on, and the
 * hop is reported in words, naming the hop and its file (it printed a raw {@code CaptureStats[...]}
 * record).
 */
class AnalyzeCutHopIT {

  @TempDir Path tmp;

  @Test
  void aCutHopFileIsReportedInWordsAndTheRunGoesOn() throws Exception {
    Path source = CliRun.repoRoot().resolve("deploy/lab/recordings/healthy");
    for (Path p : Files.list(source).toList()) {
      Files.copy(p, tmp.resolve(p.getFileName()));
    }
    Path cut = tmp.resolve("node-a.ens33.pcap");
    byte[] whole = Files.readAllBytes(cut);
    Files.write(cut, Arrays.copyOf(whole, whole.length - 10)); // inside the last record

    CliRun r = CliRun.run("analyze", tmp.resolve("manifest.json").toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).doesNotContain("CaptureStats[");
    assertThat(r.err().lines().filter(l -> l.contains("node-a/ens33")).toList())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .startsWith(
                        "hoptrace analyze: hop node-a/ens33 (" + cut + "): file ends inside")
                    .contains("truncated capture; ")
                    .endsWith(" packets read"));
    assertThat(r.err()).contains(" conversation(s)"); // the closing line: the run finished
  }
}
