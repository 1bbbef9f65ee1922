package org.edapipeline.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Base of every failure of {@link AvroWireSerializer} and {@link AvroWireDeserializer}: a Kafka
 * {@link SerializationException}, so Kafka clients treat it as one, with a {@link #category()} for
 * dead-letter routing. The subclasses are the complete list; nothing else escapes the serdes.
 *
 * <table>
 *   <caption>Failures and their category</caption>
 *   <tr><th>exception</th><th>cause</th><th>category</th></tr>
 *   <tr><td>{@link MissingPayloadException}</td><td>null or empty bytes</td><td>permanent</td></tr>
 *   <tr><td>{@link PayloadTooShortException}</td><td>fewer than 5 bytes</td><td>permanent</td></tr>
 *   <tr><td>{@link UnknownMagicByteException}</td><td>first byte is not 0</td><td>permanent</td></tr>
 *   <tr><td>{@link UnknownSchemaIdException}</td><td>registry has no such id</td><td>permanent</td></tr>
 *   <tr><td>{@link CorruptPayloadException}</td><td>Avro body truncated, corrupt or with trailing
 *       bytes</td><td>permanent</td></tr>
 *   <tr><td>{@link SchemaMismatchException}</td><td>writer schema not readable as the requested
 *       type</td><td>permanent</td></tr>
 *   <tr><td>{@link SchemaRegistryUnreachableException}</td><td>registry unreachable, timing out
 *       or failing with 5xx after retries</td><td>transient</td></tr>
 *   <tr><td>{@link SchemaRegistryRejectedException}</td><td>registry refused the request (auth
 *       failed, incompatible or unregistered schema)</td><td>permanent</td></tr>
 *   <tr><td>{@link RecordEncodingException}</td><td>serializer: the record does not match its own
 *       schema</td><td>permanent</td></tr>
 * </table>
 */
public abstract class WireFormatException extends SerializationException {
  private static final long serialVersionUID = 1L;

  protected WireFormatException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether retrying later may help. */
  public abstract FailureCategory category();
}
