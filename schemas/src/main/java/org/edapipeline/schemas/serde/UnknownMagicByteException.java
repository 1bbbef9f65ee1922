package org.edapipeline.schemas.serde;

/**
 * The first byte is not the wire format's magic byte 0: not Confluent-framed Avro (plain JSON, raw
 * Avro, another framing such as Apicurio's 8-byte ids). Category: {@link
 * FailureCategory#PERMANENT}.
 */
public final class UnknownMagicByteException extends WireFormatException {
  private static final long serialVersionUID = 1L;

  public UnknownMagicByteException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public FailureCategory category() {
    return FailureCategory.PERMANENT;
  }
}
