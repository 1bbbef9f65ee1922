package org.edapipeline.schemas.evolution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaParseException;

/**
 * Fails the build when the event catalogue would break a consumer. Every {@code .avsc} under the
 * schema directory must have its published versions under {@code
 * <history-dir>/<full.record.Name>/v<N>.avsc}, and:
 *
 * <ol>
 *   <li>the current schema must read data written with every published version (Avro's
 *       BACKWARD_TRANSITIVE: {@link SchemaCompatibility#checkReaderWriterCompatibility} with the
 *       current schema as reader and each version as writer);
 *   <li>the current schema must equal the newest published version, so that what is built is
 *       exactly what was published; a change is published by copying it as {@code v<N+1>};
 *   <li>a schema without any published version, and published versions without a schema, are
 *       errors.
 * </ol>
 *
 * <p>"Equal" means equal for Avro resolution: names, namespaces, aliases, field order, types,
 * logical types, defaults, sort orders, enum defaults and custom properties all count; {@code doc}
 * strings do not, because they never change what a reader decodes, and neither does the Java
 * compiler's {@code avro.java.string} hint that generated classes add to their schema. Fixing a doc
 * string is therefore not a new version.
 *
 * <p>Files directly under {@code common/} of the schema directory are shared named types (such as
 * {@code EventMetadata}): every schema and every published version is parsed with the current
 * shared types known, and the shared types are themselves versioned and checked like the rest. This
 * is sound because Avro's compatibility is checked field by field: if each shared type reads all
 * its own published versions and each event reads all its own, the event reads every combination
 * that was ever written.
 */
public final class SchemaEvolutionCheck {

  /** Sub-directory of the schema directory holding shared named types, parsed first. */
  public static final String SHARED_TYPES_DIR = "common";

  private static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]*)\\.avsc");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Added to string types by the Java code generator (stringType=String); not on the wire. */
  private static final String JAVA_STRING_HINT = "avro.java.string";

  private final Path schemaDir;
  private final Path historyDir;

  public SchemaEvolutionCheck(Path schemaDir, Path historyDir) {
    this.schemaDir = schemaDir;
    this.historyDir = historyDir;
  }

  /** A schema of the current catalogue and the file defining it. */
  private record Current(Schema schema, Path file) {}

  /** A published version of a schema and the file holding it. */
  private record Published(int version, Schema schema, Path file) {}

  /**
   * What a check found.
   *
   * @param schemas number of schemas in the catalogue
   * @param publishedVersions number of published versions they were checked against
   * @param problems what is wrong, one entry per problem; empty when the catalogue may be built
   */
  public record Result(int schemas, int publishedVersions, List<Problem> problems) {
    public boolean passed() {
      return problems.isEmpty();
    }
  }

  /** Runs every rule. */
  public Result check() throws IOException {
    List<Problem> problems = new ArrayList<>();
    Map<String, Schema> sharedTypes = new HashMap<>();
    Map<String, Current> current = parseCurrent(sharedTypes, problems);
    Map<String, List<Published>> history = parseHistory(sharedTypes, problems);
    if (current.isEmpty()) {
      problems.add(new Problem(display(schemaDir), "holds no .avsc schema"));
    }

    for (Map.Entry<String, Current> entry : current.entrySet()) {
      String name = entry.getKey();
      List<Published> versions = history.getOrDefault(name, List.of());
      if (versions.isEmpty()) {
        problems.add(
            new Problem(
                name,
                "has no published version. Publish it: "
                    + copyCommand(entry.getValue().file(), name, 1)));
      } else {
        checkAgainstHistory(name, entry.getValue(), versions, problems);
      }
    }
    for (String name : history.keySet()) {
      if (!current.containsKey(name)) {
        problems.add(
            new Problem(
                name,
                "has published versions in "
                    + display(historyDir.resolve(name))
                    + " but no schema under "
                    + display(schemaDir)
                    + " defines it. A published schema stays in the catalogue:"
                    + " consumers may still read records written with it."));
      }
    }
    int publishedVersions = history.values().stream().mapToInt(List::size).sum();
    return new Result(current.size(), publishedVersions, List.copyOf(problems));
  }

  private void checkAgainstHistory(
      String name, Current current, List<Published> versions, List<Problem> problems) {
    boolean compatible = true;
    for (Published published : versions) {
      var result =
          SchemaCompatibility.checkReaderWriterCompatibility(current.schema(), published.schema())
              .getResult();
      if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
        continue;
      }
      compatible = false;
      for (Incompatibility incompatibility : result.getIncompatibilities()) {
        problems.add(
            new Problem(
                name,
                "in "
                    + display(current.file())
                    + " cannot read data written with published v"
                    + published.version()
                    + " ("
                    + display(published.file())
                    + "): "
                    + incompatibility.getType()
                    + " at "
                    + incompatibility.getLocation()
                    + ": "
                    + incompatibility.getMessage()));
      }
    }
    Published newest = versions.get(versions.size() - 1);
    if (compatible && !publishedForm(current.schema()).equals(publishedForm(newest.schema()))) {
      problems.add(
          new Problem(
              name,
              "in "
                  + display(current.file())
                  + " differs from its newest published version v"
                  + newest.version()
                  + " ("
                  + display(newest.file())
                  + "). The change is backward compatible; publish it as a new version: "
                  + copyCommand(current.file(), name, newest.version() + 1)));
    }
  }

  private Map<String, Current> parseCurrent(Map<String, Schema> sharedTypes, List<Problem> problems)
      throws IOException {
    Map<String, Current> current = new TreeMap<>();
    Path sharedDir = schemaDir.resolve(SHARED_TYPES_DIR);
    Schema.Parser sharedParser = new Schema.Parser();
    for (Path file : avscFiles(sharedDir, 1)) {
      parse(sharedParser, file, problems).ifPresent(s -> addCurrent(current, s, file, problems));
    }
    sharedTypes.putAll(sharedParser.getTypes());

    for (Path file : avscFiles(schemaDir, Integer.MAX_VALUE)) {
      if (file.startsWith(sharedDir)) {
        continue;
      }
      parse(new Schema.Parser().addTypes(sharedTypes), file, problems)
          .ifPresent(s -> addCurrent(current, s, file, problems));
    }
    return current;
  }

  private static void addCurrent(
      Map<String, Current> current, Schema schema, Path file, List<Problem> problems) {
    String expectedFile = schema.getName() + ".avsc";
    if (!file.getFileName().toString().equals(expectedFile)) {
      problems.add(
          new Problem(
              schema.getFullName(),
              "is defined in " + display(file) + "; name the file " + expectedFile));
    }
    Current previous = current.putIfAbsent(schema.getFullName(), new Current(schema, file));
    if (previous != null) {
      problems.add(
          new Problem(
              schema.getFullName(),
              "is defined twice: in " + display(previous.file()) + " and " + display(file)));
    }
  }

  private Map<String, List<Published>> parseHistory(
      Map<String, Schema> sharedTypes, List<Problem> problems) throws IOException {
    Map<String, List<Published>> history = new TreeMap<>();
    if (!Files.isDirectory(historyDir)) {
      return history;
    }
    List<Path> schemaDirs;
    try (Stream<Path> children = Files.list(historyDir)) {
      schemaDirs = children.filter(Files::isDirectory).sorted().toList();
    }
    for (Path dir : schemaDirs) {
      String name = dir.getFileName().toString();
      // A published version defines its own name; it must not clash with the shared one.
      Map<String, Schema> known = new HashMap<>(sharedTypes);
      known.remove(name);
      List<Published> versions = new ArrayList<>();
      for (Path file : avscFiles(dir, 1)) {
        Matcher matcher = VERSION_FILE.matcher(file.getFileName().toString());
        if (!matcher.matches()) {
          problems.add(new Problem(name, display(file) + " is not named v<N>.avsc"));
          continue;
        }
        int version = Integer.parseInt(matcher.group(1));
        parse(new Schema.Parser().addTypes(known), file, problems)
            .ifPresent(
                schema -> {
                  if (schema.getFullName().equals(name)) {
                    versions.add(new Published(version, schema, file));
                  } else {
                    problems.add(
                        new Problem(
                            name,
                            display(file)
                                + " defines "
                                + schema.getFullName()
                                + "; it belongs in "
                                + display(historyDir.resolve(schema.getFullName()))));
                  }
                });
      }
      versions.sort((a, b) -> Integer.compare(a.version(), b.version()));
      for (int i = 0; i < versions.size(); i++) {
        if (versions.get(i).version() != i + 1) {
          problems.add(
              new Problem(
                  name,
                  "published versions must be numbered v1, v2, … without gaps; found "
                      + versions.stream()
                          .map(p -> "v" + p.version())
                          .collect(Collectors.joining(", "))));
          break;
        }
      }
      history.put(name, versions);
    }
    return history;
  }

  private static Optional<Schema> parse(Schema.Parser parser, Path file, List<Problem> problems) {
    try {
      return Optional.of(parser.parse(file.toFile()));
    } catch (SchemaParseException | IOException e) {
      problems.add(new Problem(display(file), "does not parse: " + e.getMessage()));
      return Optional.empty();
    }
  }

  private static List<Path> avscFiles(Path dir, int depth) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir, depth)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> f.getFileName().toString().endsWith(".avsc"))
          .sorted()
          .toList();
    }
  }

  /**
   * The schema as JSON without {@code doc} strings and {@code avro.java.string} hints: everything
   * that decides how data is written and resolved. {@link Schema#equals} is not used because it
   * ignores aliases, which do change resolution.
   */
  static JsonNode publishedForm(Schema schema) {
    try {
      return normalized(JSON.readTree(schema.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode normalized(JsonNode schema) {
    if (schema.isArray()) { // a union
      ArrayNode branches = JSON.createArrayNode();
      schema.forEach(branch -> branches.add(normalized(branch)));
      return branches;
    }
    if (!schema.isObject()) { // a type name
      return schema;
    }
    ObjectNode copy = ((ObjectNode) schema).deepCopy();
    copy.remove(List.of("doc", JAVA_STRING_HINT));
    if (copy.size() == 1 && copy.path("type").isTextual()) {
      return copy.get("type"); // {"type": "string"} is "string"
    }
    if (copy.has("fields")) {
      ArrayNode fields = JSON.createArrayNode();
      for (JsonNode field : copy.get("fields")) {
        // Only the field's own doc and its type: a default value is data and stays untouched.
        ObjectNode fieldCopy = ((ObjectNode) field).deepCopy();
        fieldCopy.remove("doc");
        fieldCopy.set("type", normalized(field.get("type")));
        fields.add(fieldCopy);
      }
      copy.set("fields", fields);
    }
    for (String nested : List.of("items", "values")) {
      if (copy.has(nested)) {
        copy.set(nested, normalized(copy.get(nested)));
      }
    }
    return copy;
  }

  private String copyCommand(Path file, String name, int version) {
    return "cp "
        + display(file)
        + " "
        + display(historyDir.resolve(name).resolve("v" + version + ".avsc"));
  }

  /** A path as the developer will type it: relative to the working directory when inside it. */
  private static String display(Path path) {
    Path cwd = Path.of("").toAbsolutePath();
    Path absolute = path.toAbsolutePath().normalize();
    return absolute.startsWith(cwd) ? cwd.relativize(absolute).toString() : absolute.toString();
  }

  /** The problems as one report, for the build log. */
  public static String report(List<Problem> problems) {
    Set<String> lines = new TreeSet<>();
    problems.forEach(p -> lines.add("  - " + p));
    return "Schema evolution check failed ("
        + problems.size()
        + (problems.size() == 1 ? " problem" : " problems")
        + "). Published schemas must stay BACKWARD_TRANSITIVE compatible and every change must be"
        + " published; see schemas/README.md, \"Schema evolution\".\n"
        + String.join("\n", lines);
  }

  /**
   * Runs the check from the build: {@code SchemaEvolutionCheck <schema-dir> <history-dir>}.
   *
   * @throws SchemaEvolutionException listing every problem, which fails the build
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException(
          "usage: SchemaEvolutionCheck <schema-dir> <history-dir>, e.g. src/main/avro"
              + " src/main/avro-history");
    }
    SchemaEvolutionCheck check = new SchemaEvolutionCheck(Path.of(args[0]), Path.of(args[1]));
    Result result = check.check();
    if (!result.passed()) {
      throw new SchemaEvolutionException(report(result.problems()));
    }
    System.out.println(
        "Schema evolution check passed: "
            + result.schemas()
            + " schemas under "
            + display(check.schemaDir)
            + " read all their "
            + result.publishedVersions()
            + " published versions and equal the newest.");
  }
}
