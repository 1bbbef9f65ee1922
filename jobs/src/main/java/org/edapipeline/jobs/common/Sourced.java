package org.edapipeline.jobs.common;

import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.edapipeline.outputs.DeadLetter;

/**
 * A consumed record after decoding: the typed {@link #event} and the {@link #origin} it was read
 * from, or, if it could not be decoded, the {@link #deadLetter} that says why. Exactly one of
 * {@code event} and {@code deadLetter} is set. {@link KafkaSources} splits the two; downstream, the
 * origin lets any function dead-letter the event with its original bytes.
 *
 * <p>A Flink POJO whose type information is built by {@link #typeInfo(TypeInformation)} (the event
 * type is generic).
 *
 * @param <T> the event type: an Avro-specific class or a POJO
 */
public class Sourced<T> {
  public RawRecord origin;
  public T event;
  public DeadLetter deadLetter;

  /** For Flink's POJO serializer. */
  public Sourced() {}

  /** A decoded event. */
  public static <T> Sourced<T> of(RawRecord origin, T event) {
    Sourced<T> sourced = new Sourced<>();
    sourced.origin = origin;
    sourced.event = event;
    return sourced;
  }

  /** A record that could not be decoded. */
  public static <T> Sourced<T> failed(RawRecord origin, DeadLetter deadLetter) {
    Sourced<T> sourced = new Sourced<>();
    sourced.origin = origin;
    sourced.deadLetter = deadLetter;
    return sourced;
  }

  /** Whether this holds a decoded event. */
  public boolean decoded() {
    return deadLetter == null;
  }

  /** Flink type information for {@code Sourced<T>}, without Kryo. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <T> TypeInformation<Sourced<T>> typeInfo(TypeInformation<T> eventType) {
    return (TypeInformation)
        Types.POJO(
            Sourced.class,
            Map.of(
                "origin",
                Types.POJO(RawRecord.class),
                "event",
                eventType,
                "deadLetter",
                new AvroTypeInfo<>(DeadLetter.class)));
  }

  @Override
  public String toString() {
    return "Sourced{" + origin + ", " + (decoded() ? event : deadLetter.getErrorClass()) + "}";
  }
}
