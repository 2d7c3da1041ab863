package io.hoptrace.lab;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/** The harnesses every scenario test runs on. */
public final class Harnesses {
  private Harnesses() {}

  public static Stream<Named<Supplier<Harness>>> all() {
    return Stream.of(
        Named.of("core", CoreHarness::new), Named.of("kafka-streams", TopologyHarness::new));
  }
}
