package org.edapipeline.schemas.serde;

import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.edapipeline.schemas.registry.RegistryUnavailableException;
import org.edapipeline.schemas.registry.SchemaNotFoundException;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryException;

/**
 * Resolves schema ids to schemas and back through a {@link SchemaRegistryClient}, turning registry
 * failures into {@link WireFormatException}s: unknown id to {@link UnknownSchemaIdException},
 * unreachable to {@link SchemaRegistryUnreachableException} (transient), any other refusal to
 * {@link SchemaRegistryRejectedException}. Shared by the Kafka serdes and the Flink {@code
 * SchemaCoder}; caching is the client's.
 */
public final class SchemaResolver {
  private final SchemaRegistryClient client;

  public SchemaResolver(SchemaRegistryClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /**
   * The writer schema with this id.
   *
   * @throws UnknownSchemaIdException if the id is not positive or unknown to the registry
   * @throws SchemaRegistryUnreachableException if the registry cannot be reached
   * @throws SchemaRegistryRejectedException if the registry refuses (e.g. bad credentials)
   */
  public Schema writerSchema(int id) {
    if (id <= 0) {
      throw new UnknownSchemaIdException("Schema id " + id + " is not a valid registry id", null);
    }
    try {
      return client.getById(id);
    } catch (SchemaNotFoundException e) {
      throw new UnknownSchemaIdException(
          "Schema id " + id + " is unknown to the registry: " + e.getMessage(), e);
    } catch (RegistryUnavailableException e) {
      throw new SchemaRegistryUnreachableException(
          "Could not fetch schema id " + id + ": " + e.getMessage(), e);
    } catch (SchemaRegistryException e) {
      throw new SchemaRegistryRejectedException(
          "Could not fetch schema id " + id + ": " + e.getMessage(), e);
    }
  }

  /**
   * The id of {@code schema} under {@code subject}: registered if {@code autoRegister}, else looked
   * up.
   *
   * @throws SchemaRegistryUnreachableException if the registry cannot be reached
   * @throws SchemaRegistryRejectedException if the schema is incompatible, not registered (with
   *     auto-registration off) or the registry refuses otherwise
   */
  public int schemaId(String subject, Schema schema, boolean autoRegister) {
    try {
      return autoRegister ? client.register(subject, schema) : client.lookup(subject, schema).id();
    } catch (RegistryUnavailableException e) {
      throw new SchemaRegistryUnreachableException(
          "Could not get an id for "
              + schema.getFullName()
              + " under subject "
              + subject
              + ": "
              + e.getMessage(),
          e);
    } catch (SchemaRegistryException e) {
      throw new SchemaRegistryRejectedException(
          (autoRegister ? "Could not register " : "Schema is not registered: ")
              + schema.getFullName()
              + " under subject "
              + subject
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Checks that data written with {@code writer} can be read with {@code reader}, with Avro's
   * resolution rules.
   *
   * @throws SchemaMismatchException naming the first incompatibility if not
   */
  public static void requireReadable(Schema reader, Schema writer, int schemaId) {
    SchemaCompatibility.SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      SchemaCompatibility.Incompatibility first = result.getResult().getIncompatibilities().get(0);
      throw new SchemaMismatchException(
          "Writer schema id "
              + schemaId
              + " ("
              + writer.getFullName()
              + ") cannot be read as "
              + reader.getFullName()
              + ": "
              + first.getType()
              + " at "
              + first.getLocation()
              + ": "
              + first.getMessage(),
          null);
    }
  }
}
