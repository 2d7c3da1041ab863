package io.hoptrace.replay;

import io.hoptrace.capture.CaptureFileException;
import io.hoptrace.capture.HopPcapngWriter;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.evidence.IncidentFlows;
import io.hoptrace.evidence.PacketSelection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code analyze --incident-pcaps DIR}: one {@code <incidentId>.pcapng} per incident, written from
 * the replayed captures — the packets of the conversations the incident concerns ({@link
 * IncidentFlows}) from every hop that captured them, both directions, encapsulated and NAT-ed forms
 * included, one pcapng interface per hop ({@link HopPcapngWriter}: {@code if_name} = hop id, {@code
 * if_description} = role), in capture-time order (the hops merged as the replay merges them, {@link
 * MergedCaptures}). Reads the captures once more after the replay; memory: one packet per hop.
 */
public final class IncidentPcaps {

  /**
   * One written file.
   *
   * @param incidentId the incident
   * @param file where it was written
   * @param packets packets written
   * @param packetsPerHop packets per hop id, hops in the order of their first packet
   * @param conversationIds the conversations whose packets it holds
   */
  public record Written(
      String incidentId,
      Path file,
      long packets,
      Map<String, Long> packetsPerHop,
      List<String> conversationIds) {}

  private record Target(PacketSelection selection, HopPcapngWriter out) {}

  private IncidentPcaps() {}

  /**
   * Checks, without touching anything, that the pcapng files can be written into {@code dir}: an
   * existing writable directory, or a path whose nearest existing parent is one (it is then created
   * by {@link #write}).
   *
   * @throws IllegalArgumentException saying what is wrong with {@code dir}
   */
  public static void checkDirectory(Path dir) {
    Objects.requireNonNull(dir, "dir");
    Path abs = dir.toAbsolutePath();
    if (Files.exists(abs)) {
      if (!Files.isDirectory(abs)) {
        throw new IllegalArgumentException(dir + ": not a directory");
      }
      if (!Files.isWritable(abs)) {
        throw new IllegalArgumentException(dir + ": directory not writable");
      }
      return;
    }
    Path parent = abs.getParent();
    while (parent != null && !Files.exists(parent)) {
      parent = parent.getParent();
    }
    if (parent == null || !Files.isDirectory(parent)) {
      throw new IllegalArgumentException(
          dir
              + ": cannot be created ("
              + (parent == null ? "no parent" : parent)
              + " is not a directory)");
    }
    if (!Files.isWritable(parent)) {
      throw new IllegalArgumentException(
          dir + ": cannot be created (" + parent + " is not writable)");
    }
  }

  /**
   * How far outside an incident's span a related conversation may lie: the longest of the
   * detection's windows (an alert fires up to a window after the packets of its flows).
   */
  public static long slackNanos(DetectionConfig cfg) {
    long ms = 0;
    for (var s :
        List.of(
            DetectionConfig.ONE_WAY_WINDOW_MS,
            DetectionConfig.STORM_WINDOW_MS,
            DetectionConfig.ICMP_WINDOW_MS,
            DetectionConfig.DNS_WINDOW_MS,
            DetectionConfig.VTEP_WINDOW_MS,
            DetectionConfig.MTU_WINDOW_MS)) {
      ms = Math.max(ms, cfg.get(s));
    }
    return ms * 1_000_000L;
  }

  /**
   * How long after a conversation's last seen its packets are still captured on other hops: the
   * detection's lateness.
   */
  public static long lateNanos(DetectionConfig cfg) {
    return cfg.nanos(DetectionConfig.LATENESS_MS);
  }

  /** The file name of an incident's pcapng: its id (characters outside [A-Za-z0-9._-] as '_'). */
  public static String fileName(String incidentId) {
    return incidentId.replaceAll("[^A-Za-z0-9._-]", "_") + ".pcapng";
  }

  /**
   * Writes one pcapng per selected incident into {@code dir} (created if missing; files of the same
   * name replaced).
   *
   * @return what was written, in the order of {@code selected}
   * @throws CaptureFileException when a capture cannot be opened
   * @throws IOException when a file cannot be written
   */
  public static List<Written> write(
      Manifest manifest,
      DecoderConfig decoderConfig,
      List<IncidentFlows.Selected> selected,
      Path dir)
      throws CaptureFileException, IOException {
    Files.createDirectories(dir);
    List<HopPcapngWriter> writers = new ArrayList<>();
    Map<String, List<Target>> byKey = new HashMap<>();
    try {
      for (IncidentFlows.Selected s : selected) {
        HopPcapngWriter w = HopPcapngWriter.create(dir.resolve(fileName(s.incident().getId())));
        writers.add(w);
        Target t = new Target(s.packets(), w);
        for (String k : s.packets().flowKeys()) {
          byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(t);
        }
      }
      if (!byKey.isEmpty()) {
        copy(manifest, decoderConfig, byKey);
      }
    } finally {
      closeAll(writers);
    }
    List<Written> out = new ArrayList<>();
    for (int i = 0; i < selected.size(); i++) {
      IncidentFlows.Selected s = selected.get(i);
      HopPcapngWriter w = writers.get(i);
      out.add(
          new Written(
              s.incident().getId(),
              dir.resolve(fileName(s.incident().getId())),
              w.packets(),
              w.packetsPerHop(),
              s.conversationIds()));
    }
    return out;
  }

  private static void copy(Manifest manifest, DecoderConfig config, Map<String, List<Target>> byKey)
      throws CaptureFileException, IOException {
    try (MergedCaptures merged = MergedCaptures.open(manifest.hops(), config, true)) {
      while (merged.hasNext()) {
        MergedCaptures.Item item = merged.next();
        List<Target> targets = item.key() == null ? null : byKey.get(item.key());
        if (targets == null) {
          continue;
        }
        long ts = item.summary().getTsNanos();
        MergedCaptures.Packet p = item.packet();
        for (Target t : targets) {
          if (t.selection().matches(item.key(), ts)) {
            t.out()
                .write(item.hop(), p.linkType(), ts, p.data(), 0, p.data().length, p.wireLength());
          }
        }
      }
    }
  }

  private static void closeAll(List<HopPcapngWriter> writers) throws IOException {
    IOException first = null;
    for (HopPcapngWriter w : writers) {
      try {
        w.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
