package io.hoptrace.lab;

import java.util.ServiceLoader;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * The harnesses every scenario test runs on: the plain core, and every engine host found on the
 * test class path. A host module (Kafka Streams, Flink) runs this module's scenario suite (the
 * {@code io.hoptrace.scenario} package of the test-jar) with its own {@link HarnessFactory}
 * registered under {@code META-INF/services/io.hoptrace.lab.HarnessFactory}.
 */
public final class Harnesses {
  private Harnesses() {}

  public static Stream<Named<Supplier<Harness>>> all() {
    Stream<Named<Supplier<Harness>>> hosts =
        ServiceLoader.load(HarnessFactory.class).stream()
            .map(ServiceLoader.Provider::get)
            .map(f -> Named.<Supplier<Harness>>of(f.name(), f::create));
    return Stream.concat(Stream.of(Named.of("core", CoreHarness::new)), hosts);
  }
}
