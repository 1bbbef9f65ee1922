package org.edapipeline.schemas.serde;

/**
 * Confluent's wire format: magic byte {@code 0}, the 4-byte big-endian schema id, then the Avro
 * binary encoding of the value with that (writer) schema.
 *
 * <pre>
 * +------+-------------------+----------------------+
 * | 0x00 | schema id (int32) | Avro binary body ... |
 * +------+-------------------+----------------------+
 * </pre>
 */
public final class WireFormat {
  /** The only magic byte defined. */
  public static final byte MAGIC_BYTE = 0;

  /** Magic byte plus schema id. */
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /**
   * Validates the header of a framed value and returns its schema id.
   *
   * @throws MissingPayloadException if {@code data} is null or empty
   * @throws UnknownMagicByteException if the first byte is not {@link #MAGIC_BYTE}
   * @throws PayloadTooShortException if there is no complete header
   */
  public static int schemaId(byte[] data) {
    if (data == null || data.length == 0) {
      throw new MissingPayloadException(
          data == null ? "Value is null" : "Value is empty (0 bytes)", null);
    }
    if (data[0] != MAGIC_BYTE) {
      throw new UnknownMagicByteException(
          "Unknown magic byte 0x"
              + String.format("%02x", data[0] & 0xff)
              + ": not in the Confluent wire format",
          null);
    }
    if (data.length < HEADER_SIZE) {
      throw new PayloadTooShortException(
          "Value has " + data.length + " bytes, fewer than the " + HEADER_SIZE + "-byte header",
          null);
    }
    return ((data[1] & 0xff) << 24)
        | ((data[2] & 0xff) << 16)
        | ((data[3] & 0xff) << 8)
        | (data[4] & 0xff);
  }

  /** Writes the header for {@code schemaId} to {@code out}. */
  public static void writeHeader(int schemaId, java.io.ByteArrayOutputStream out) {
    out.write(MAGIC_BYTE);
    out.write(schemaId >>> 24);
    out.write(schemaId >>> 16);
    out.write(schemaId >>> 8);
    out.write(schemaId);
  }

  /** Writes the header for {@code schemaId} into {@code target[0..4]}. */
  public static void writeHeader(int schemaId, byte[] target) {
    target[0] = MAGIC_BYTE;
    target[1] = (byte) (schemaId >>> 24);
    target[2] = (byte) (schemaId >>> 16);
    target[3] = (byte) (schemaId >>> 8);
    target[4] = (byte) schemaId;
  }
}
