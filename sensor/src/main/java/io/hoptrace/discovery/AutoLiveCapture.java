package io.hoptrace.discovery;

import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.LiveCapture;
import io.hoptrace.capture.LiveCaptureConfig;
import io.hoptrace.capture.LiveStats;
import io.hoptrace.capture.PacketHandler;
import io.hoptrace.metrics.SensorMetrics;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * {@link AutoCapture} over {@link LiveCapture}: each discovered hop gets its own one-hop capture
 * (libpcap in this process, in the sensor's namespace or, through {@link
 * io.hoptrace.capture.Netns}, in another), and its drop counter is reported under its hop id for as
 * long as it runs (0 while it does not).
 */
public final class AutoLiveCapture {
  private AutoLiveCapture() {}

  public static AutoCapture<LiveCapture> create(
      AutoCapture.HopSource hops,
      LiveCaptureConfig config,
      Function<HopContext, PacketHandler> handlerFor,
      SensorMetrics metrics) {
    AtomicReference<AutoCapture<LiveCapture>> self = new AtomicReference<>();
    Set<String> bound = new HashSet<>();
    AutoCapture<LiveCapture> auto =
        new AutoCapture<>(
            hops,
            h -> {
              LiveCapture.Builder b = LiveCapture.builder(config);
              if (h.netns() == null) {
                b.iface(h.hop());
              } else {
                b.netnsIface(h.netns(), h.hop());
              }
              LiveCapture c = b.start(handlerFor);
              String id = h.id();
              if (bound.add(id)) { // a meter registers once per id: read the current capture
                metrics.bindCaptureDrops(id, () -> dropsOf(self.get(), id));
              }
              return c;
            },
            metrics.registry());
    self.set(auto);
    return auto;
  }

  private static long dropsOf(AutoCapture<LiveCapture> auto, String id) {
    return auto.capture(id)
        .map(c -> c.stats().stream().mapToLong(LiveStats::dropped).map(d -> Math.max(0, d)).sum())
        .orElse(0L);
  }
}
