package org.edapipeline.embedded.registry;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Checks a candidate schema against registered versions with Avro's {@link SchemaCompatibility},
 * producing messages in the shape Confluent's registry returns with {@code ?verbose=true}.
 */
final class CompatibilityChecker {

  private CompatibilityChecker() {}

  /** A registered schema to compare with. */
  record Existing(int version, Schema schema) {}

  /**
   * Checks {@code candidate} against {@code existing} (oldest first) under {@code level}.
   *
   * @return the incompatibility messages; empty when compatible
   */
  static List<String> check(Schema candidate, List<Existing> existing, CompatibilityLevel level) {
    if (level == CompatibilityLevel.NONE || existing.isEmpty()) {
      return List.of();
    }
    List<Existing> against =
        level.transitive() ? existing : List.of(existing.get(existing.size() - 1));
    // Newest first, like Confluent: the first failure reported is the most relevant one.
    for (int i = against.size() - 1; i >= 0; i--) {
      Existing old = against.get(i);
      List<String> messages = new ArrayList<>();
      if (level.backward()) {
        addIncompatibilities(
            candidate, old.schema(), "the new schema cannot read the old schema's data", messages);
      }
      if (level.forward()) {
        addIncompatibilities(
            old.schema(), candidate, "the old schema cannot read the new schema's data", messages);
      }
      if (!messages.isEmpty()) {
        messages.add("{oldSchemaVersion: " + old.version() + "}");
        messages.add("{oldSchema: '" + old.schema() + "'}");
        messages.add("{compatibility: '" + level + "'}");
        return messages;
      }
    }
    return List.of();
  }

  private static void addIncompatibilities(
      Schema reader, Schema writer, String direction, List<String> messages) {
    SchemaCompatibility.SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return;
    }
    for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
      messages.add(
          "{errorType:'"
              + incompatibility.getType()
              + "', description:'"
              + incompatibility.getMessage()
              + " at path '"
              + incompatibility.getLocation()
              + "': "
              + direction
              + "', additionalInfo:'"
              + incompatibility.getMessage()
              + "'}");
    }
  }
}
