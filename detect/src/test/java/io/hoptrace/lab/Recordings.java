package io.hoptrace.lab;

import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A bundled lab recording (deploy/lab/recordings/NAME: one capture per hop, manifest.json), read as
 * the sensors would publish it: each hop's summaries in capture order, and the nodes' inventory
 * from the manifest.
 */
public record Recordings(List<NodeInventory> nodes, List<List<PacketSummary>> hops) {

  public static Path dir(String scenario) {
    return Path.of("..", "deploy", "lab", "recordings", scenario);
  }

  /** Reads the recording of one scenario. */
  public static Recordings read(String scenario) {
    try {
      return read(dir(scenario));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The nodes and hops of {@link Recording#read(Path)}, without the truth. */
  public static Recordings read(Path dir) throws IOException {
    Recording r = Recording.read(dir);
    return new Recordings(r.nodes(), r.hops());
  }

  /** Every hop's summaries in capture-time order. */
  public List<PacketSummary> inTimeOrder() {
    List<PacketSummary> out = new ArrayList<>();
    hops.forEach(out::addAll);
    out.sort(Comparator.comparingLong(PacketSummary::getTsNanos));
    return out;
  }

  /** Replays the recording in time order through the plain core, to the end of input. */
  public CoreHarness replay() {
    return replay(new CoreHarness());
  }

  /** Replays the recording in time order through a harness, to the end of input. */
  public <H extends Harness> H replay(H h) {
    h.nodes(nodes);
    h.send(inTimeOrder());
    h.finish();
    return h;
  }
}
