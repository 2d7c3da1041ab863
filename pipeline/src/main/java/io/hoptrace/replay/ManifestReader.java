package io.hoptrace.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hoptrace.capture.InterfaceRoles;
import io.hoptrace.contract.IpText;
import io.hoptrace.schema.InterfaceRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a {@link Manifest}. Every problem is a {@link ManifestException} naming the
 * file and the field's path (e.g. {@code nodes[1].vteps[0].local}): unknown fields, missing
 * required fields, wrong types, addresses that are not IP literals ({@code addresses}, vtep {@code
 * local}, fdb {@code dst}), a {@code podCidr} that is not a prefix, an fdb {@code mac} that is not
 * a MAC address, unknown roles, duplicate nodes or hops, hops on a node the manifest does not list
 * (when it lists nodes; a manifest without nodes is captures without inventory), capture files that
 * do not exist, and anything after the JSON object. A hop without {@code role} gets the role {@link
 * InterfaceRoles#defaults()} infers from its interface name (any interface with a {@code pod} is
 * POD).
 */
public final class ManifestReader {
  // trailing garbage after the manifest's object is an error, not silently ignored
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");
  private static final Set<String> TOP = Set.of("nodes", "hops");
  private static final Set<String> NODE =
      Set.of("name", "addresses", "podCidr", "podCidrs", "vteps");
  private static final Set<String> VTEP = Set.of("device", "vni", "local", "port", "fdb");
  private static final Set<String> FDB = Set.of("mac", "dst");
  private static final Set<String> HOP = Set.of("node", "pod", "iface", "role", "file", "mtu");

  private final Path file;
  private final InterfaceRoles roles;

  private ManifestReader(Path file, InterfaceRoles roles) {
    this.file = file;
    this.roles = roles;
  }

  /** Reads {@code file}; hop files are resolved against its directory. */
  public static Manifest read(Path file) {
    return read(file, InterfaceRoles.defaults());
  }

  /** Reads {@code file}, inferring missing hop roles with {@code roles}. */
  public static Manifest read(Path file, InterfaceRoles roles) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new ManifestException(file + ": no such file");
    } catch (JsonProcessingException e) {
      throw new ManifestException(
          file + ": not valid JSON: " + e.getOriginalMessage() + location(e), e);
    } catch (IOException e) {
      throw new ManifestException(file + ": cannot read: " + e.getMessage(), e);
    }
    return new ManifestReader(file, roles).manifest(root);
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }

  private Manifest manifest(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw error("", "must be a JSON object with \"nodes\" and \"hops\"");
    }
    checkFields(root, "", TOP);
    List<Manifest.Node> nodes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    JsonNode ns = array(root, "", "nodes");
    for (int i = 0; i < ns.size(); i++) {
      Manifest.Node n = node(ns.get(i), "nodes[" + i + "]");
      if (!names.add(n.name())) {
        throw error("nodes[" + i + "].name", "node \"" + n.name() + "\" is listed twice");
      }
      nodes.add(n);
    }
    JsonNode hs = array(root, "", "hops");
    if (hs.isEmpty()) {
      throw error("hops", "needs at least one hop");
    }
    List<Manifest.Hop> hops = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < hs.size(); i++) {
      Manifest.Hop h = hop(hs.get(i), "hops[" + i + "]");
      if (!names.isEmpty() && !names.contains(h.node())) {
        throw error(
            "hops[" + i + "].node",
            "node \""
                + h.node()
                + "\" is not in \"nodes\" (listed: "
                + String.join(", ", nodes.stream().map(Manifest.Node::name).toList())
                + ")");
      }
      if (!ids.add(h.id())) {
        throw error("hops[" + i + "]", "hop " + h.id() + " is listed twice");
      }
      hops.add(h);
    }
    return new Manifest(file, nodes, hops);
  }

  private Manifest.Node node(JsonNode n, String path) {
    object(n, path);
    checkFields(n, path, NODE);
    String name = text(n, path, "name", true);
    List<String> addresses = strings(n, path, "addresses", "an address");
    for (int i = 0; i < addresses.size(); i++) {
      addresses.set(i, address(addresses.get(i), path + ".addresses[" + i + "]"));
    }
    String podCidr = text(n, path, "podCidr", false);
    if (podCidr != null) {
      prefix(podCidr, path + ".podCidr");
    }
    List<String> podCidrs = n.has("podCidrs") ? strings(n, path, "podCidrs", "a CIDR") : List.of();
    for (int i = 0; i < podCidrs.size(); i++) {
      prefix(podCidrs.get(i), path + ".podCidrs[" + i + "]");
    }
    List<Manifest.Vtep> vteps = new ArrayList<>();
    if (n.has("vteps")) {
      JsonNode vs = array(n, path, "vteps");
      for (int i = 0; i < vs.size(); i++) {
        vteps.add(vtep(vs.get(i), path + ".vteps[" + i + "]"));
      }
    }
    return new Manifest.Node(name, addresses, podCidr, podCidrs, vteps);
  }

  /** The array {@code field} of non-blank strings, each {@code what}. */
  private List<String> strings(JsonNode n, String path, String field, String what) {
    List<String> out = new ArrayList<>();
    JsonNode as = array(n, path, field);
    for (int i = 0; i < as.size(); i++) {
      JsonNode a = as.get(i);
      if (!a.isTextual() || a.asText().isBlank()) {
        throw error(path + "." + field + "[" + i + "]", "must be " + what + " string");
      }
      out.add(a.asText());
    }
    return out;
  }

  private Manifest.Vtep vtep(JsonNode v, String path) {
    object(v, path);
    checkFields(v, path, VTEP);
    String device = text(v, path, "device", true);
    long vni = integer(v, path, "vni", 0, 0xFFFFFF);
    String local = address(text(v, path, "local", true), path + ".local");
    int port = (int) integer(v, path, "port", 1, 65535);
    List<Manifest.Fdb> fdb = new ArrayList<>();
    if (v.has("fdb")) {
      JsonNode fs = array(v, path, "fdb");
      for (int i = 0; i < fs.size(); i++) {
        String p = path + ".fdb[" + i + "]";
        JsonNode f = fs.get(i);
        object(f, p);
        checkFields(f, p, FDB);
        String mac = text(f, p, "mac", true);
        if (!MAC.matcher(mac).matches()) {
          throw error(p + ".mac", "\"" + mac + "\" is not a MAC address (like ca:fe:0a:f4:01:00)");
        }
        fdb.add(new Manifest.Fdb(mac, address(text(f, p, "dst", true), p + ".dst")));
      }
    }
    return new Manifest.Vtep(device, vni, local, port, fdb);
  }

  private Manifest.Hop hop(JsonNode h, String path) {
    object(h, path);
    checkFields(h, path, HOP);
    String node = text(h, path, "node", true);
    String pod = text(h, path, "pod", false);
    String iface = text(h, path, "iface", true);
    String roleText = text(h, path, "role", false);
    InterfaceRole role;
    if (roleText == null) {
      role = roles.roleOf(iface, null, pod != null);
    } else {
      try {
        role = InterfaceRole.valueOf(roleText.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw error(
            path + ".role",
            "unknown role \""
                + roleText
                + "\" (one of "
                + Arrays.toString(InterfaceRole.values())
                + ")");
      }
    }
    String fileText = text(h, path, "file", true);
    Path dir = file.toAbsolutePath().getParent();
    Path capture;
    try {
      capture = Path.of(fileText);
    } catch (InvalidPathException e) {
      throw error(
          path + ".file", "\"" + fileText + "\" is not a file name (" + e.getReason() + ")");
    }
    if (!capture.isAbsolute() && dir != null) {
      capture = dir.resolve(capture);
    }
    capture = capture.normalize();
    if (!Files.isRegularFile(capture)) {
      throw error(path + ".file", "capture file " + capture + " does not exist");
    }
    int mtu = h.has("mtu") ? (int) integer(h, path, "mtu", 68, 65535) : -1;
    return new Manifest.Hop(node, pod, iface, role, capture, mtu);
  }

  // ------------------------------------------------------------------ field helpers

  /** {@code text} when it is an IPv4 or IPv6 address literal (no prefix length). */
  private String address(String text, String path) {
    if (text.indexOf('/') >= 0 || IpText.parse(text.trim()) == null || !text.equals(text.trim())) {
      throw error(path, "\"" + text + "\" is not an IP address (like 192.168.232.128 or fd00::1)");
    }
    return text;
  }

  /** {@code text} when it is an IP prefix {@code address/length}. */
  private void prefix(String text, String path) {
    int slash = text.indexOf('/');
    byte[] addr = slash > 0 ? IpText.parse(text.substring(0, slash)) : null;
    int len = -1;
    if (addr != null && text.substring(slash + 1).matches("[0-9]{1,3}")) {
      len = Integer.parseInt(text.substring(slash + 1));
    }
    if (addr == null
        || len < 0
        || len > addr.length * 8
        || text.substring(0, slash).indexOf('/') >= 0
        || !text.equals(text.trim())) {
      throw error(path, "\"" + text + "\" is not an IP prefix ADDRESS/LENGTH (like 10.244.0.0/24)");
    }
  }

  private void checkFields(JsonNode obj, String path, Set<String> allowed) {
    for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw error(
            join(path, f), "unknown field \"" + f + "\" (expected one of " + sorted(allowed) + ")");
      }
    }
  }

  private static List<String> sorted(Set<String> s) {
    List<String> l = new ArrayList<>(s);
    l.sort(null);
    return l;
  }

  private void object(JsonNode n, String path) {
    if (n == null || !n.isObject()) {
      throw error(path, "must be a JSON object");
    }
  }

  private JsonNode array(JsonNode obj, String path, String field) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      throw error(join(path, field), "missing field \"" + field + "\"");
    }
    if (!v.isArray()) {
      throw error(join(path, field), "must be a JSON array");
    }
    return v;
  }

  private String text(JsonNode obj, String path, String field, boolean required) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw error(join(path, field), "missing field \"" + field + "\"");
      }
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw error(join(path, field), "must be a non-empty string");
    }
    return v.asText();
  }

  private long integer(JsonNode obj, String path, String field, long min, long max) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      throw error(join(path, field), "missing field \"" + field + "\"");
    }
    if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
      throw error(join(path, field), "must be an integer in [" + min + ", " + max + "]");
    }
    return v.asLong();
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  /** One line whatever the manifest's strings hold: control characters are shown escaped. */
  private ManifestException error(String path, String message) {
    return new ManifestException(
        oneLine(file + (path.isEmpty() ? "" : ": " + path) + ": " + message));
  }

  private static String oneLine(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
