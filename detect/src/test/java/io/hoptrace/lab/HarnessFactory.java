package io.hoptrace.lab;

/** An engine host of the detection core, as a scenario harness (found with a ServiceLoader). */
public interface HarnessFactory {
  /** The name test reports show, e.g. {@code kafka-streams}. */
  String name();

  Harness create();
}
