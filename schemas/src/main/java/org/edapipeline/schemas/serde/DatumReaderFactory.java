package org.edapipeline.schemas.serde;

import java.io.Serializable;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Chooses the reader schema for a writer schema and creates the {@link DatumReader}; called once
 * per schema id, never per record.
 */
abstract class DatumReaderFactory<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * A reader from {@code writer} to the reader type.
   *
   * @throws SchemaMismatchException if {@code writer} cannot be read as the reader type
   */
  abstract DatumReader<T> create(Schema writer, int schemaId);

  /** Readers into a generated class, whatever the writer's name, if compatible. */
  static <T> DatumReaderFactory<T> specific(Class<T> type) {
    return new DatumReaderFactory<>() {
      private static final long serialVersionUID = 1L;

      @Override
      DatumReader<T> create(Schema writer, int schemaId) {
        SpecificData model = SpecificData.getForClass(type);
        Schema reader = model.getSchema(type);
        requireReadable(reader, writer, schemaId);
        return new SpecificDatumReader<>(writer, reader, model);
      }
    };
  }

  /** Readers into the generated class named like each writer schema. */
  static <T> DatumReaderFactory<T> specificByWriterName() {
    return new DatumReaderFactory<>() {
      private static final long serialVersionUID = 1L;

      @Override
      DatumReader<T> create(Schema writer, int schemaId) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Class<?> type = new SpecificData(loader).getClass(writer);
        if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
          throw new SchemaMismatchException(
              "Schema id "
                  + schemaId
                  + " is "
                  + writer.getFullName()
                  + ", for which no generated class is on the classpath",
              null);
        }
        SpecificData model = SpecificData.getForClass(type);
        Schema reader = model.getSchema(type);
        requireReadable(reader, writer, schemaId);
        return new SpecificDatumReader<>(writer, reader, model);
      }
    };
  }

  /** Generic records in {@code reader}'s shape, or in the writer's own when it is null. */
  static <T> DatumReaderFactory<T> generic(Schema reader) {
    String readerText = reader == null ? null : reader.toString();
    return new DatumReaderFactory<>() {
      private static final long serialVersionUID = 1L;
      private transient Schema parsed;

      @Override
      DatumReader<T> create(Schema writer, int schemaId) {
        if (readerText == null) {
          return new GenericDatumReader<>(writer, writer, GenericData.get());
        }
        if (parsed == null) {
          parsed = new Schema.Parser().parse(readerText);
        }
        requireReadable(parsed, writer, schemaId);
        return new GenericDatumReader<>(writer, parsed, GenericData.get());
      }
    };
  }

  private static void requireReadable(Schema reader, Schema writer, int schemaId) {
    SchemaResolver.requireReadable(reader, writer, schemaId);
  }
}
