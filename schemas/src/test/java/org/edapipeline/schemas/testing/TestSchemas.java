package org.edapipeline.schemas.testing;

import org.apache.avro.Schema;

/** Small schemas for registry and serde tests, independent of the event catalogue. */
public final class TestSchemas {
  private TestSchemas() {}

  /** {@code test.Order} v1: an id. */
  public static final Schema ORDER_V1 =
      parse(
          "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
              + "{\"name\":\"id\",\"type\":\"string\"}]}");

  /** v2: adds a field with a default, which BACKWARD allows. */
  public static final Schema ORDER_V2 =
      parse(
          "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
              + "{\"name\":\"id\",\"type\":\"string\"},"
              + "{\"name\":\"amount\",\"type\":\"long\",\"default\":0}]}");

  /** Adds a field without a default: BACKWARD rejects it (new readers cannot read old data). */
  public static final Schema ORDER_INCOMPATIBLE =
      parse(
          "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
              + "{\"name\":\"id\",\"type\":\"string\"},"
              + "{\"name\":\"currency\",\"type\":\"string\"}]}");

  /** Another record type, unrelated to Order. */
  public static final Schema PAYMENT =
      parse(
          "{\"type\":\"record\",\"name\":\"Payment\",\"namespace\":\"test\",\"fields\":["
              + "{\"name\":\"paymentId\",\"type\":\"string\"},"
              + "{\"name\":\"cents\",\"type\":\"long\"}]}");

  public static Schema parse(String json) {
    return new Schema.Parser().parse(json);
  }
}
