package org.edapipeline.schemas.flink;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.flink.formats.avro.SchemaCoder;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.MissingPayloadException;
import org.edapipeline.schemas.serde.PayloadTooShortException;
import org.edapipeline.schemas.serde.SchemaMismatchException;
import org.edapipeline.schemas.serde.SchemaResolver;
import org.edapipeline.schemas.serde.UnknownMagicByteException;
import org.edapipeline.schemas.serde.WireFormat;

/**
 * flink-avro's {@link SchemaCoder} for Confluent's wire format on our registry client: reads and
 * writes the 5-byte header (magic byte, schema id), resolving ids through the registry.
 *
 * <p>The client is created on first use, in the task, not where the job graph is built. Flink never
 * closes a coder; the client's threads are daemons that idle out, and its connections close with it
 * when the coder is collected. Failures are the {@link
 * org.edapipeline.schemas.serde.WireFormatException}s of the header and schema lookup; a bad Avro
 * body fails later in Flink's own reader with Avro's exceptions.
 *
 * <p>Single-threaded, like the Flink (de)serialization schema that owns it.
 */
final class RegistrySchemaCoder implements SchemaCoder {
  private final SchemaRegistryClientConfig config;
  private final String subject;
  private final boolean autoRegister;
  private final Schema readerSchema;

  private SchemaResolver resolver;
  private final Map<Integer, SchemaMismatchException> mismatches = new HashMap<>();
  private int lastReadId = -1;
  private Schema lastRead;
  private Schema lastWritten;
  private int lastWrittenId;

  /**
   * @param subject where {@link #writeSchema} registers or looks up; null for a reading coder
   * @param readerSchema if set, each writer schema is checked once to be readable as it
   */
  RegistrySchemaCoder(
      SchemaRegistryClientConfig config,
      String subject,
      boolean autoRegister,
      Schema readerSchema) {
    this.config = config;
    this.subject = subject;
    this.autoRegister = autoRegister;
    this.readerSchema = readerSchema;
  }

  @Override
  public Schema readSchema(InputStream in) throws IOException {
    int magic = in.read();
    if (magic == -1) {
      throw new MissingPayloadException("Value is empty (0 bytes)", null);
    }
    if (magic != WireFormat.MAGIC_BYTE) {
      throw new UnknownMagicByteException(
          "Unknown magic byte 0x"
              + String.format("%02x", magic)
              + ": not in the Confluent wire format",
          null);
    }
    int id = 0;
    for (int i = 0; i < 4; i++) {
      int b = in.read();
      if (b == -1) {
        throw new PayloadTooShortException(
            "Value has " + (i + 1) + " bytes, fewer than the 5-byte header", null);
      }
      id = (id << 8) | b;
    }
    if (id == lastReadId) {
      return lastRead;
    }
    Schema writer = resolver().writerSchema(id);
    if (readerSchema != null) {
      SchemaMismatchException mismatch = mismatches.computeIfAbsent(id, k -> check(writer, k));
      if (mismatch != null) {
        throw new SchemaMismatchException(mismatch.getMessage(), null);
      }
    }
    lastReadId = id;
    lastRead = writer;
    return writer;
  }

  private SchemaMismatchException check(Schema writer, int id) {
    try {
      SchemaResolver.requireReadable(readerSchema, writer, id);
      return null;
    } catch (SchemaMismatchException e) {
      return e;
    }
  }

  @Override
  public void writeSchema(Schema schema, OutputStream out) throws IOException {
    if (subject == null) {
      throw new IllegalStateException("This coder was made for reading: it has no subject");
    }
    if (schema != lastWritten) {
      lastWrittenId = resolver().schemaId(subject, schema, autoRegister);
      lastWritten = schema;
    }
    int id = lastWrittenId;
    out.write(WireFormat.MAGIC_BYTE);
    out.write(id >>> 24);
    out.write(id >>> 16);
    out.write(id >>> 8);
    out.write(id);
  }

  private SchemaResolver resolver() {
    if (resolver == null) {
      SchemaRegistryClient client = new RestSchemaRegistryClient(config);
      resolver = new SchemaResolver(client);
    }
    return resolver;
  }
}
