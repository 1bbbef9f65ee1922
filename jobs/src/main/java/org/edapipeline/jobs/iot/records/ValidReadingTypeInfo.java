package org.edapipeline.jobs.iot.records;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Type information of {@link ValidReading}: its dedicated {@link ValidReadingSerializer}. Picked up
 * by {@code TypeInformation.of(ValidReading.class)} through the class's {@code @TypeInfo}.
 */
public final class ValidReadingTypeInfo extends TypeInformation<ValidReading> {
  private static final long serialVersionUID = 1L;

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<ValidReading> getTypeClass() {
    return ValidReading.class;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<ValidReading> createSerializer(SerializerConfig config) {
    return ValidReadingSerializer.INSTANCE;
  }

  @Override
  public String toString() {
    return "ValidReading";
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof ValidReadingTypeInfo;
  }

  @Override
  public int hashCode() {
    return ValidReadingTypeInfo.class.hashCode();
  }

  @Override
  public boolean canEqual(Object obj) {
    return obj instanceof ValidReadingTypeInfo;
  }

  /** The factory named by {@link ValidReading}'s {@code @TypeInfo}. */
  public static final class Factory extends TypeInfoFactory<ValidReading> {
    @Override
    public TypeInformation<ValidReading> createTypeInfo(
        Type type, Map<String, TypeInformation<?>> genericParameters) {
      return new ValidReadingTypeInfo();
    }
  }
}
