package org.edapipeline.embedded.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * The registry's state and rules: global schema ids, subjects and their versions, compatibility
 * levels. Every change is appended to the {@link SchemaLog} first and applied to memory only once
 * it is durable; replay goes through the same {@link #apply} so a restarted registry ends in the
 * same state. Methods are synchronized: registrations are rare and must allocate ids one at a time.
 */
final class SchemaStore {

  /** A registered schema: its global id, parsed form and canonical text. */
  record StoredSchema(int id, Schema schema, String canonical) {}

  /** A version of a subject. */
  record Version(String subject, int version, StoredSchema schema, boolean deleted) {}

  private final SchemaLog log;
  private final Map<Integer, StoredSchema> schemasById = new HashMap<>();
  private final Map<String, StoredSchema> schemasByCanonical = new HashMap<>();
  private final Map<String, NavigableMap<Integer, Version>> subjects = new TreeMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
  private int maxId;

  SchemaStore(SchemaLog log) {
    this.log = log;
  }

  /** Rebuilds the state from the log. */
  synchronized void recover() {
    log.replay(this::apply);
  }

  private void commit(StoreEvent event) {
    log.append(event);
    apply(event);
  }

  private void apply(StoreEvent event) {
    if (event instanceof StoreEvent.SchemaVersion v) {
      StoredSchema stored = schemasById.get(v.id());
      if (stored == null) {
        Schema schema = parse(v.schema());
        stored = new StoredSchema(v.id(), schema, schema.toString());
        schemasById.put(v.id(), stored);
        schemasByCanonical.putIfAbsent(stored.canonical(), stored);
        maxId = Math.max(maxId, v.id());
      }
      subjects
          .computeIfAbsent(v.subject(), s -> new TreeMap<>())
          .put(v.version(), new Version(v.subject(), v.version(), stored, v.deleted()));
    } else if (event instanceof StoreEvent.SchemaVersionErased e) {
      NavigableMap<Integer, Version> versions = subjects.get(e.subject());
      if (versions != null) {
        versions.remove(e.version());
        if (versions.isEmpty()) {
          subjects.remove(e.subject());
        }
      }
    } else if (event instanceof StoreEvent.CompatibilityConfig c) {
      if (c.subject() == null) {
        globalLevel = c.level() == null ? CompatibilityLevel.BACKWARD : c.level();
      } else if (c.level() == null) {
        subjectLevels.remove(c.subject());
      } else {
        subjectLevels.put(c.subject(), c.level());
      }
    }
  }

  /**
   * Registers {@code schemaText} under {@code subject}, or returns the id it already has there.
   *
   * @throws RegistryError 42201 if the schema is invalid, 409 if incompatible, 50001 on store
   *     failure
   */
  synchronized int register(String subject, String schemaText) {
    Schema schema = parseOrReject(schemaText);
    String canonical = schema.toString();
    List<Version> live = liveVersions(subject);
    for (Version version : live) {
      if (version.schema().canonical().equals(canonical)) {
        return version.schema().id();
      }
    }
    CompatibilityLevel level = effectiveLevel(subject);
    List<String> messages = CompatibilityChecker.check(schema, existing(live), level);
    if (!messages.isEmpty()) {
      throw RegistryError.incompatible(
          "Schema being registered is incompatible with an earlier schema for subject \""
              + subject
              + "\", details: "
              + messages);
    }
    StoredSchema known = schemasByCanonical.get(canonical);
    int id = known != null ? known.id() : maxId + 1;
    NavigableMap<Integer, Version> all = subjects.get(subject);
    int version = all == null || all.isEmpty() ? 1 : all.lastKey() + 1;
    commit(new StoreEvent.SchemaVersion(subject, version, id, canonical, false));
    return id;
  }

  /**
   * Finds the version of {@code subject} whose schema is {@code schemaText}.
   *
   * @throws RegistryError 40401 unknown subject, 40403 schema not in subject, 42201 invalid schema
   */
  synchronized Version lookup(String subject, String schemaText) {
    List<Version> live = requireLiveVersions(subject);
    String canonical = parseOrReject(schemaText).toString();
    for (Version version : live) {
      if (version.schema().canonical().equals(canonical)) {
        return version;
      }
    }
    throw RegistryError.schemaNotFound("Schema not found");
  }

  /** The schema with a global id; 40403 if unknown. */
  synchronized StoredSchema schemaById(int id) {
    StoredSchema schema = schemasById.get(id);
    if (schema == null) {
      throw RegistryError.schemaNotFound("Schema " + id + " not found");
    }
    return schema;
  }

  /** Subjects with at least one version that is not deleted, sorted. */
  synchronized List<String> subjects() {
    List<String> names = new ArrayList<>();
    for (String subject : subjects.keySet()) {
      if (!liveVersions(subject).isEmpty()) {
        names.add(subject);
      }
    }
    return names;
  }

  /** Live version numbers of a subject, ascending; 40401 if none. */
  synchronized List<Integer> versions(String subject) {
    return requireLiveVersions(subject).stream().map(Version::version).toList();
  }

  /**
   * A live version of a subject.
   *
   * @param spec a positive version number, {@code latest} or {@code -1}
   * @throws RegistryError 42202 invalid spec, 40401 unknown subject, 40402 unknown version
   */
  synchronized Version version(String subject, String spec) {
    int number = parseVersion(spec);
    List<Version> live = requireLiveVersions(subject);
    if (number == -1) {
      return live.get(live.size() - 1);
    }
    for (Version version : live) {
      if (version.version() == number) {
        return version;
      }
    }
    throw RegistryError.versionNotFound(subject, number);
  }

  /**
   * Deletes a subject: soft (versions marked deleted, ids stay resolvable), or permanently, which
   * requires a soft delete first, as in Confluent.
   *
   * @return the deleted version numbers
   */
  synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
    NavigableMap<Integer, Version> all = subjects.get(subject);
    if (all == null || all.isEmpty()) {
      throw RegistryError.subjectNotFound(subject);
    }
    List<Version> live = liveVersions(subject);
    List<Integer> deleted = new ArrayList<>();
    if (permanent) {
      if (!live.isEmpty()) {
        throw RegistryError.subjectNotSoftDeleted(subject);
      }
      for (Version version : new ArrayList<>(all.values())) {
        commit(new StoreEvent.SchemaVersionErased(subject, version.version()));
        deleted.add(version.version());
      }
    } else {
      if (live.isEmpty()) {
        throw RegistryError.subjectNotFound(subject);
      }
      for (Version version : live) {
        commit(
            new StoreEvent.SchemaVersion(
                subject,
                version.version(),
                version.schema().id(),
                version.schema().canonical(),
                true));
        deleted.add(version.version());
      }
    }
    return deleted;
  }

  /**
   * Tests {@code schemaText} against a subject's versions under its compatibility level.
   *
   * @param spec a version to test against, or null for what registration would check
   * @return incompatibility messages; empty when compatible
   */
  synchronized List<String> testCompatibility(String subject, String schemaText, String spec) {
    Schema schema = parseOrReject(schemaText);
    CompatibilityLevel level = effectiveLevel(subject);
    if (spec == null) {
      return CompatibilityChecker.check(schema, existing(liveVersions(subject)), level);
    }
    int number = parseVersion(spec);
    List<Version> live = liveVersions(subject);
    if (live.isEmpty()) {
      if (number == -1) {
        return List.of();
      }
      throw RegistryError.subjectNotFound(subject);
    }
    Version against = version(subject, spec);
    // A single version is the whole history for this check, so transitivity changes nothing.
    return CompatibilityChecker.check(schema, existing(List.of(against)), level);
  }

  synchronized CompatibilityLevel globalLevel() {
    return globalLevel;
  }

  synchronized void setGlobalLevel(CompatibilityLevel level) {
    commit(new StoreEvent.CompatibilityConfig(null, level));
  }

  synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
    return Optional.ofNullable(subjectLevels.get(subject));
  }

  synchronized void setSubjectLevel(String subject, CompatibilityLevel level) {
    commit(new StoreEvent.CompatibilityConfig(subject, level));
  }

  /** Removes a subject-level setting; returns the removed level. 40401 if none was set. */
  synchronized CompatibilityLevel deleteSubjectLevel(String subject) {
    CompatibilityLevel previous = subjectLevels.get(subject);
    if (previous == null) {
      throw RegistryError.subjectNotFound(subject);
    }
    commit(new StoreEvent.CompatibilityConfig(subject, null));
    return previous;
  }

  private CompatibilityLevel effectiveLevel(String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }

  private List<Version> liveVersions(String subject) {
    NavigableMap<Integer, Version> all = subjects.get(subject);
    if (all == null) {
      return List.of();
    }
    List<Version> live = new ArrayList<>(all.size());
    for (Version version : all.values()) {
      if (!version.deleted()) {
        live.add(version);
      }
    }
    return live;
  }

  private List<Version> requireLiveVersions(String subject) {
    List<Version> live = liveVersions(subject);
    if (live.isEmpty()) {
      throw RegistryError.subjectNotFound(subject);
    }
    return live;
  }

  private static List<CompatibilityChecker.Existing> existing(List<Version> versions) {
    return versions.stream()
        .map(v -> new CompatibilityChecker.Existing(v.version(), v.schema().schema()))
        .toList();
  }

  /** Parses a version spec: a positive int, or -1 for {@code latest}/{@code -1}. */
  private static int parseVersion(String spec) {
    if ("latest".equals(spec)) {
      return -1;
    }
    try {
      int number = Integer.parseInt(spec);
      if (number == -1 || number > 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw RegistryError.invalidVersion(spec);
  }

  private static Schema parseOrReject(String text) {
    if (text == null || text.isBlank()) {
      throw RegistryError.invalidSchema("the schema is empty");
    }
    try {
      return parse(text);
    } catch (AvroRuntimeException | IllegalArgumentException | NullPointerException e) {
      // SchemaParseException and AvroTypeException (bad defaults) are AvroRuntimeExceptions.
      throw RegistryError.invalidSchema(e.getMessage());
    }
  }

  private static Schema parse(String text) {
    return new Schema.Parser().parse(text);
  }
}
