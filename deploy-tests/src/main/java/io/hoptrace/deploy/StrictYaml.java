package io.hoptrace.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * YAML lint: parses a multi-document stream strictly (YAML 1.2 core schema, duplicate keys are an
 * error) and requires every non-empty document to be a mapping with {@code apiVersion}, {@code
 * kind} and {@code metadata.name}.
 */
public final class StrictYaml {

  private StrictYaml() {}

  /** The documents of {@code yaml}; empty documents (a lone {@code ---}) are skipped. */
  public static List<Manifest> documents(String source, String yaml) {
    LoadSettings settings =
        LoadSettings.builder().setAllowDuplicateKeys(false).setLabel(source).build();
    Composer composer =
        new Composer(settings, new ParserImpl(settings, new StreamReader(settings, yaml)));
    StandardConstructor constructor = new StandardConstructor(settings);
    List<Manifest> out = new ArrayList<>();
    int index = 0; // of the document being read, from 1 (empty ones count)
    try {
      while (true) {
        index++;
        if (!composer.hasNext()) {
          break;
        }
        Node node = composer.next();
        Object value = constructor.constructSingleDocument(java.util.Optional.of(node));
        if (value == null) {
          continue;
        }
        int line = node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
        if (!(node instanceof MappingNode) || !(value instanceof Map<?, ?> map)) {
          throw new ManifestException(
              source + ": document " + index + " (line " + line + ") is not a mapping");
        }
        @SuppressWarnings("unchecked")
        Manifest m = new Manifest(source, index, line, (Map<String, Object>) map);
        requireHeader(m);
        out.add(m);
      }
    } catch (MarkedYamlEngineException e) {
      String at =
          e.getProblemMark()
              .map(m -> " (line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ")")
              .orElse("");
      throw new ManifestException(
          source + ": invalid YAML in document " + index + ": " + oneLine(e.getProblem()) + at, e);
    } catch (YamlEngineException e) {
      throw new ManifestException(
          source + ": invalid YAML in document " + index + ": " + oneLine(e.getMessage()), e);
    }
    return out;
  }

  private static void requireHeader(Manifest m) {
    if (m.apiVersion().isEmpty() || m.kind().isEmpty() || m.name().equals("?")) {
      throw new ManifestException(m.where() + ": needs apiVersion, kind and metadata.name");
    }
  }

  static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\\n\\s*", " ");
  }
}
