package org.edapipeline.schemas.testing;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A hand-written Avro specific record, as avro-maven-plugin would generate it, so serde tests do
 * not depend on the event catalogue. Its schema's full name is this class's name, which {@code
 * SpecificData} needs to find it from a writer schema.
 */
public final class TestOrder extends SpecificRecordBase {
  public static final Schema SCHEMA$ =
      TestSchemas.parse(
          "{\"type\":\"record\",\"name\":\"TestOrder\","
              + "\"namespace\":\"org.edapipeline.schemas.testing\",\"fields\":["
              + "{\"name\":\"id\",\"type\":{\"type\":\"string\",\"avro.java.string\":\"String\"}},"
              + "{\"name\":\"amount\",\"type\":\"long\",\"default\":0}]}");

  private String id;
  private long amount;

  public TestOrder() {}

  public TestOrder(String id, long amount) {
    this.id = id;
    this.amount = amount;
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
        return id;
      case 1:
        return amount;
      default:
        throw new IndexOutOfBoundsException("Invalid index: " + field);
    }
  }

  @Override
  public void put(int field, Object value) {
    switch (field) {
      case 0:
        id = value == null ? null : value.toString();
        break;
      case 1:
        amount = (Long) value;
        break;
      default:
        throw new IndexOutOfBoundsException("Invalid index: " + field);
    }
  }

  public String getId() {
    return id;
  }

  public long getAmount() {
    return amount;
  }
}
