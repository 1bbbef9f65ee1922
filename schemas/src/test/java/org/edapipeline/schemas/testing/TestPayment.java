package org.edapipeline.schemas.testing;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/** A second hand-written specific record, unrelated to {@link TestOrder}. */
public final class TestPayment extends SpecificRecordBase {
  public static final Schema SCHEMA$ =
      TestSchemas.parse(
          "{\"type\":\"record\",\"name\":\"TestPayment\","
              + "\"namespace\":\"org.edapipeline.schemas.testing\",\"fields\":["
              + "{\"name\":\"paymentId\",\"type\":{\"type\":\"string\",\"avro.java.string\":\"String\"}},"
              + "{\"name\":\"cents\",\"type\":\"long\"}]}");

  private String paymentId;
  private long cents;

  public TestPayment() {}

  public TestPayment(String paymentId, long cents) {
    this.paymentId = paymentId;
    this.cents = cents;
  }

  public static Schema getClassSchema() {
    return SCHEMA$;
  }

  @Override
  public Schema getSchema() {
    return SCHEMA$;
  }

  @Override
  public Object get(int field) {
    switch (field) {
      case 0:
        return paymentId;
      case 1:
        return cents;
      default:
        throw new IndexOutOfBoundsException("Invalid index: " + field);
    }
  }

  @Override
  public void put(int field, Object value) {
    switch (field) {
      case 0:
        paymentId = value == null ? null : value.toString();
        break;
      case 1:
        cents = (Long) value;
        break;
      default:
        throw new IndexOutOfBoundsException("Invalid index: " + field);
    }
  }

  public String getPaymentId() {
    return paymentId;
  }

  public long getCents() {
    return cents;
  }
}
