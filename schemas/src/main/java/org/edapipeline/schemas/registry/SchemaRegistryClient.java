package org.edapipeline.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * A client of the Confluent Schema Registry REST API (also served by Apicurio's {@code
 * /apis/ccompat/v7} and by {@code EmbeddedSchemaRegistry}), for Avro schemas.
 *
 * <p>Implementations are thread-safe. Every call is bounded by the configured timeouts and may
 * throw a {@link SchemaRegistryException} subclass: {@link RegistryUnavailableException}, {@link
 * RegistryAuthenticationException}, {@link SchemaNotFoundException}, {@link
 * SubjectNotFoundException}, {@link VersionNotFoundException}, {@link IncompatibleSchemaException},
 * {@link InvalidSchemaException}.
 *
 * @see RestSchemaRegistryClient
 */
public interface SchemaRegistryClient extends AutoCloseable {

  /**
   * Registers a schema under a subject, or returns the id it already has there.
   *
   * @return the global schema id
   * @throws IncompatibleSchemaException if the subject's compatibility level forbids it
   * @throws InvalidSchemaException if the registry rejects the schema
   */
  int register(String subject, Schema schema);

  /**
   * The schema with a global id.
   *
   * @throws SchemaNotFoundException if the id is unknown
   */
  Schema getById(int id);

  /**
   * Finds how a schema is registered under a subject, without registering it.
   *
   * @throws SubjectNotFoundException if the subject does not exist
   * @throws SchemaNotFoundException if the schema is not registered under the subject
   */
  SchemaMetadata lookup(String subject, Schema schema);

  /**
   * The latest version of a subject.
   *
   * @throws SubjectNotFoundException if the subject does not exist
   */
  SchemaMetadata latest(String subject);

  /**
   * A version of a subject.
   *
   * @throws SubjectNotFoundException if the subject does not exist
   * @throws VersionNotFoundException if it has no such version
   */
  SchemaMetadata version(String subject, int version);

  /**
   * The versions of a subject, ascending.
   *
   * @throws SubjectNotFoundException if the subject does not exist
   */
  List<Integer> versions(String subject);

  /** Every subject with at least one live version. */
  List<String> subjects();

  /**
   * Tests whether a schema could be registered as the next version of a subject, against its latest
   * version under the subject's compatibility level, with the registry's explanation.
   */
  CompatibilityResult testCompatibility(String subject, Schema schema);

  /** The registry-wide default compatibility level. */
  CompatibilityLevel getCompatibility();

  /** The level in force for a subject: its own if set, else the global one. */
  CompatibilityLevel getCompatibility(String subject);

  /** Sets the registry-wide default compatibility level. */
  void setCompatibility(CompatibilityLevel level);

  /** Sets a subject's compatibility level. */
  void setCompatibility(String subject, CompatibilityLevel level);

  /**
   * Soft-deletes a subject: its versions disappear from listings, its ids stay resolvable.
   *
   * @return the deleted versions
   */
  List<Integer> deleteSubject(String subject);

  /** Releases the HTTP client's threads and connections. */
  @Override
  void close();
}
