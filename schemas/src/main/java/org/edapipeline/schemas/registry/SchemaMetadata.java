package org.edapipeline.schemas.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * A schema as registered under a subject.
 *
 * @param subject the subject
 * @param id the global schema id (what the wire format carries)
 * @param version the version within the subject, from 1
 * @param schema the parsed schema
 */
public record SchemaMetadata(String subject, int id, int version, Schema schema) {
  public SchemaMetadata {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
  }
}
