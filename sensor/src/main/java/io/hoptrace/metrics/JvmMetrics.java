package io.hoptrace.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;

/** The JVM's standard metrics, as every hoptrace process (sensor, detection job) exposes them. */
public final class JvmMetrics {
  private JvmMetrics() {}

  /**
   * Binds memory, GC, threads, classes, CPU and uptime, without the two whose Prometheus names
   * {@code promtool check metrics} rejects ({@code process_cpu_time_ns_total}: abbreviated unit;
   * {@code system_cpu_count}: a {@code _count} suffix on a gauge); {@code process_cpu_usage} and
   * {@code system_cpu_usage} remain.
   */
  public static void bind(MeterRegistry registry) {
    registry
        .config()
        .meterFilter(
            MeterFilter.deny(
                id ->
                    id.getName().equals("process.cpu.time")
                        || id.getName().equals("system.cpu.count")));
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }
}
