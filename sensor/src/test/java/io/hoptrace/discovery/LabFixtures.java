package io.hoptrace.discovery;

import io.hoptrace.inventory.CommandRunner;
import io.hoptrace.inventory.InventoryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Recorded {@code ip} output of the lab's node-b (see resources/discovery/README.md). */
final class LabFixtures {
  private LabFixtures() {}

  static String read(String name) {
    try (InputStream in = LabFixtures.class.getResourceAsStream("/discovery/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A command runner answering from a table; any other command fails like a missing namespace. */
  static final class FakeRunner implements CommandRunner {
    final Map<List<String>, String> answers = new HashMap<>();

    FakeRunner answer(String output, String... command) {
      answers.put(List.of(command), output);
      return this;
    }

    @Override
    public String run(List<String> command, java.time.Duration timeout) throws InventoryException {
      String out = answers.get(command);
      if (out == null) {
        throw new InventoryException("'" + String.join(" ", command) + "' exited 1: Cannot open");
      }
      return out;
    }
  }

  /** node-b read with {@code ip -n ht-node-b}, its pods with {@code ip -n ht-pod-bN}. */
  static FakeRunner nodeB(String idsJson) {
    FakeRunner r = new FakeRunner();
    nodeCommands(r, idsJson, "ip", "-n", "ht-node-b");
    for (String p : List.of("b1", "b2", "b3")) {
      r.answer(
          read("lab-pod-" + p + "-link.json"),
          "ip",
          "-n",
          "ht-pod-" + p,
          "-d",
          "-j",
          "link",
          "show");
      r.answer(
          read("lab-pod-" + p + "-addr.json"), "ip", "-n", "ht-pod-" + p, "-j", "addr", "show");
    }
    return r;
  }

  static void nodeCommands(FakeRunner r, String idsJson, String... prefix) {
    r.answer(read("lab-node-b-link.json"), cmd(prefix, "-d", "-j", "link", "show"));
    r.answer(read("lab-node-b-addr.json"), cmd(prefix, "-j", "addr", "show"));
    r.answer(read("lab-node-b-route.json"), cmd(prefix, "-j", "route", "show"));
    r.answer(read("lab-node-b-route6.json"), cmd(prefix, "-6", "-j", "route", "show"));
    r.answer(idsJson, cmd(prefix, "-j", "netns", "list-id"));
  }

  static String[] cmd(String[] prefix, String... args) {
    String[] out = new String[prefix.length + args.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(args, 0, out, prefix.length, args.length);
    return out;
  }
}
