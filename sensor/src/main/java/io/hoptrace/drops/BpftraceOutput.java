package io.hoptrace.drops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hoptrace.contract.IpProto;
import io.hoptrace.contract.IpText;
import io.hoptrace.decode.IcmpKeyPorts;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Parses the JSON lines of {@code bpftrace -f json} running a {@link DropScript}: {@code {"type":
 * "attached_probes", "data": {"probes": 3}}} once attached, then per second {@code {"type": "map",
 * "data": {"@drops": {"KEY,KEY,...,DEVICE": COUNT, ...}}}}.
 */
public final class BpftraceOutput {

  /** What a line was. */
  public enum Kind {
    ATTACHED,
    DROPS,
    OTHER
  }

  /** One parsed line: its kind and, for {@link Kind#DROPS}, the counted drops. */
  public record Line(Kind kind, List<DropRecord> drops) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int KEY_FIELDS = 15;
  private static final String MAP = "@drops";
  private static final String REASON_PREFIX = "SKB_DROP_REASON_";

  private final DropReasons reasons;
  private final ByteOrder memoryOrder;

  /**
   * @param reasons the running kernel's reason names
   * @param memoryOrder the byte order bpftrace read the 32-bit address words in (the traced
   *     machine's native order)
   */
  public BpftraceOutput(DropReasons reasons, ByteOrder memoryOrder) {
    this.reasons = reasons;
    this.memoryOrder = memoryOrder;
  }

  /** For output of bpftrace on this machine. */
  public BpftraceOutput(DropReasons reasons) {
    this(reasons, ByteOrder.nativeOrder());
  }

  /**
   * Parses one stdout line.
   *
   * @throws DropWatchException when a drops map line is malformed
   */
  public Line parse(String line) {
    String t = line.strip();
    if (!t.startsWith("{")) {
      return new Line(Kind.OTHER, List.of());
    }
    JsonNode root;
    try {
      root = JSON.readTree(t);
    } catch (JsonProcessingException e) {
      return new Line(Kind.OTHER, List.of());
    }
    String type = root.path("type").asText("");
    if ("attached_probes".equals(type)) {
      return new Line(Kind.ATTACHED, List.of());
    }
    JsonNode map = root.path("data").path(MAP);
    if (!"map".equals(type) || !map.isObject()) {
      return new Line(Kind.OTHER, List.of());
    }
    List<DropRecord> drops = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      drops.add(record(e.getKey(), e.getValue().asLong()));
    }
    return new Line(Kind.DROPS, drops);
  }

  private DropRecord record(String key, long count) {
    String[] f = key.split(",", KEY_FIELDS);
    if (f.length != KEY_FIELDS) {
      throw new DropWatchException(
          "unexpected bpftrace map key (" + f.length + " fields, want " + KEY_FIELDS + "): " + key);
    }
    try {
      long netns = Long.parseLong(f[0].strip());
      String reasonText = f[1].strip();
      int code;
      String reason;
      if (reasonText.chars().allMatch(Character::isDigit)) {
        code = Integer.parseInt(reasonText);
        reason = reasons.name(code);
      } else { // a bpftrace that prints enum names
        reason =
            reasonText.startsWith(REASON_PREFIX)
                ? reasonText.substring(REASON_PREFIX.length())
                : reasonText;
        code =
            reasons.all().entrySet().stream()
                .filter(x -> x.getValue().equals(reason))
                .mapToInt(Map.Entry::getKey)
                .findFirst()
                .orElse(-1);
      }
      int ethertype = num(f[2]);
      DropFlow outer = ethertype == 0x0800 ? flow(f, 3) : null;
      String encap =
          switch (num(f[8])) {
            case DropScript.ENCAP_VXLAN -> "vxlan";
            case DropScript.ENCAP_GENEVE -> "geneve";
            case DropScript.ENCAP_IPIP -> "ipip";
            default -> null;
          };
      DropFlow inner = encap != null && !"0".equals(f[11].strip()) ? flow(f, 9) : null;
      return new DropRecord(netns, f[14], code, reason, ethertype, outer, encap, inner, count);
    } catch (NumberFormatException e) {
      throw new DropWatchException("unexpected bpftrace map key: " + key);
    }
  }

  /**
   * proto, saddr, daddr, sport, dport from field {@code i} on. ICMP's port fields are the flow
   * key's ({@link IcmpKeyPorts}: an echo's identifier, else type and code) from the script's {@code
   * type << 8 | code} and identifier; other protocols than TCP, UDP and ICMP have -1.
   */
  private DropFlow flow(String[] f, int i) {
    int proto = num(f[i]);
    int sport = -1;
    int dport = -1;
    if (proto == IpProto.TCP || proto == IpProto.UDP) {
      sport = num(f[i + 3]);
      dport = num(f[i + 4]);
    } else if (proto == IpProto.ICMP) {
      int typeCode = num(f[i + 3]);
      int id = num(f[i + 4]);
      sport = IcmpKeyPorts.sport4(typeCode >>> 8, typeCode & 0xff, id);
      dport = IcmpKeyPorts.dport4(typeCode >>> 8, typeCode & 0xff, id);
    }
    return new DropFlow(proto, addr(f[i + 1]), addr(f[i + 2]), sport, dport);
  }

  private static int num(String s) {
    return Integer.parseInt(s.strip());
  }

  private String addr(String s) {
    int word = (int) Long.parseLong(s.strip());
    return IpText.format(ByteBuffer.allocate(4).order(memoryOrder).putInt(word).array());
  }
}
