package org.edapipeline.schemas.flink;

import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.flink.formats.avro.SchemaCoder;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;

/**
 * Serializable factory of {@link RegistrySchemaCoder}s, shipped with the job graph: it holds only
 * the client settings and what to do, and {@link #get()} creates no client (that happens on the
 * coder's first use, in the task).
 */
public final class RegistrySchemaCoderProvider implements SchemaCoder.SchemaCoderProvider {
  private static final long serialVersionUID = 1L;

  private final SchemaRegistryClientConfig config;
  private final String subject;
  private final boolean autoRegister;
  private final String readerSchema;

  private RegistrySchemaCoderProvider(
      SchemaRegistryClientConfig config, String subject, boolean autoRegister, Schema reader) {
    this.config = Objects.requireNonNull(config, "config");
    this.subject = subject;
    this.autoRegister = autoRegister;
    // Kept as text: Avro's Schema serialization across versions is not something to rely on.
    this.readerSchema = reader == null ? null : reader.toString();
  }

  /**
   * Coders that read the header and fetch writer schemas.
   *
   * @param readerSchema if not null, writer schemas not readable as it fail early with a {@link
   *     org.edapipeline.schemas.serde.SchemaMismatchException}
   */
  public static RegistrySchemaCoderProvider forReading(
      SchemaRegistryClientConfig config, Schema readerSchema) {
    return new RegistrySchemaCoderProvider(config, null, false, readerSchema);
  }

  /**
   * Coders that write the header for a subject.
   *
   * @param autoRegister register the schema if needed, or only look it up
   */
  public static RegistrySchemaCoderProvider forWriting(
      SchemaRegistryClientConfig config, String subject, boolean autoRegister) {
    return new RegistrySchemaCoderProvider(
        config, Objects.requireNonNull(subject, "subject"), autoRegister, null);
  }

  @Override
  public SchemaCoder get() {
    Schema reader = readerSchema == null ? null : new Schema.Parser().parse(readerSchema);
    return new RegistrySchemaCoder(config, subject, autoRegister, reader);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegistrySchemaCoderProvider p
        && config.equals(p.config)
        && Objects.equals(subject, p.subject)
        && autoRegister == p.autoRegister
        && Objects.equals(readerSchema, p.readerSchema);
  }

  @Override
  public int hashCode() {
    return Objects.hash(config, subject, autoRegister, readerSchema);
  }

  @Override
  public String toString() {
    return "RegistrySchemaCoderProvider{"
        + (subject == null ? "reading" : "writing subject " + subject)
        + ", "
        + config
        + "}";
  }
}
