package io.hoptrace.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The inputs every cross-configuration test runs (partition counts, engines): each bundled lab
 * recording (deploy/lab/recordings/NAME, by its name) and each Zeek trace of the cli ITs
 * (cli/src/test/resources/captures/zeek/F.pcap, as {@code zeek/F.pcap}; attribution in that
 * directory's README.md), paths relative to a module directory, as tests run.
 */
public final class ReferenceInputs {
  private static final Path CAPTURES = Path.of("..", "cli", "src", "test", "resources", "captures");

  private ReferenceInputs() {}

  /** Every input's name, sorted. */
  public static List<String> all() {
    List<String> all = new ArrayList<>();
    try (Stream<Path> s = Files.list(Recordings.dir(""))) {
      s.filter(d -> Files.exists(d.resolve("manifest.json")))
          .map(d -> d.getFileName().toString())
          .forEach(all::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Stream<Path> s = Files.list(CAPTURES.resolve("zeek"))) {
      s.filter(f -> f.toString().endsWith(".pcap"))
          .map(f -> "zeek/" + f.getFileName())
          .forEach(all::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all.stream().sorted().toList();
  }

  /** Whether {@code input} is a single capture (a Zeek trace) rather than a lab recording. */
  public static boolean isCapture(String input) {
    return input.endsWith(".pcap");
  }

  /** The capture file of a Zeek trace input (absolute). */
  public static Path capture(String input) {
    return CAPTURES.resolve(input).toAbsolutePath();
  }

  /** The manifest file of a lab recording input. */
  public static Path manifest(String input) {
    return Recordings.dir(input).resolve("manifest.json");
  }
}
