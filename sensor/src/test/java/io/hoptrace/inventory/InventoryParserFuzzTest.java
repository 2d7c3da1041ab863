package io.hoptrace.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hoptrace.capture.InterfaceRoles;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the inventory parsers with what iproute2 prints: {@code ip -d -j link show}, {@code ip -j
 * addr show}, {@code ip -j route show} (and the IPv6 routes appended), {@code bridge -j fdb show
 * dev VTEP} and {@code ip -j neigh show dev VTEP}, as {@link InventoryCollector} feeds them to
 * {@link InventoryParser}. Whatever the text, the parser must answer with an inventory or an {@link
 * InventoryException} (one line naming the command), never another exception or a name lookup.
 *
 * <p>Input: UTF-8 text, the outputs separated by NUL (which iproute2 never prints): link, addr,
 * route, IPv6 route, fdb, neigh (the last two for every VTEP found). Regression inputs (the lab's
 * outputs and every crash found) are in {@code InventoryParserFuzzTestInputs/parse/};
 * docs/reliability.md "Fuzzing" has the fuzzing command.
 */
class InventoryParserFuzzTest {

  private static final InventoryParser PARSER = new InventoryParser(InterfaceRoles.defaults());

  @FuzzTest(maxDuration = "30s")
  void parse(byte[] input) {
    String[] parts = new String(input, StandardCharsets.UTF_8).split("\0", -1);
    String link = part(parts, 0);
    String addr = part(parts, 1);
    String route = part(parts, 2);
    String route6 = part(parts, 3);
    String fdb = part(parts, 4);
    String neigh = part(parts, 5);
    try {
      String routes = InventoryParser.concatArrays(route, route6);
      List<String> vteps = PARSER.vtepDevices(link);
      Map<String, String> fdbs = new HashMap<>();
      Map<String, String> neighs = new HashMap<>();
      for (String v : vteps) {
        fdbs.put(v, fdb);
        neighs.put(v, neigh);
      }
      InventorySources sources = new InventorySources(link, addr, routes, fdbs, neighs);
      assertThat(PARSER.parse("node-a", null, 1L, sources)).isNotNull();
      assertThat(PARSER.parse("node-a", "pod-a1", 1L, sources)).isNotNull();
    } catch (InventoryException e) {
      assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
    }
  }

  private static String part(String[] parts, int i) {
    return i < parts.length ? parts[i] : "";
  }
}
