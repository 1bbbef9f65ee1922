package org.edapipeline.jobs.saga.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.edapipeline.jobs.saga.SagaTestEvents;
import org.edapipeline.jobs.saga.functions.SagaCorrelationFunction;
import org.edapipeline.jobs.saga.state.SagaState;
import org.edapipeline.jobs.saga.state.SagaStateMachine;
import org.edapipeline.jobs.saga.state.SagaTransition;
import org.edapipeline.outputs.SagaStateChanged;
import org.junit.jupiter.api.Test;

/** The saga's records and state are POJOs or Avro types to Flink: no Kryo anywhere. */
class SagaTypesTest {

  private static final SerializerConfigImpl NO_GENERIC_TYPES = new SerializerConfigImpl();

  static {
    NO_GENERIC_TYPES.setGenericTypes(false);
  }

  @Test
  void shouldTypeTheInputCommandsAndStateAsPojos() {
    for (Class<?> type : List.of(SagaEvent.class, SagaCommand.class, SagaState.class)) {
      TypeInformation<?> info = TypeInformation.of(type);
      assertThat(info).as(type.getName()).isInstanceOf(PojoTypeInfo.class);
      assertThat(info).isNotInstanceOf(GenericTypeInfo.class);
      // Creating the serializer fails if any nested field would need Kryo.
      assertThat(info.createSerializer(NO_GENERIC_TYPES)).isNotNull();
    }
    assertThat(TypeInformation.of(SagaStateChanged.class)).isInstanceOf(AvroTypeInfo.class);
    assertThat(SagaCorrelationFunction.DEAD_LETTERS.getTypeInfo()).isInstanceOf(AvroTypeInfo.class);
  }

  @Test
  void shouldRoundTripAStateWithEveryKindOfFactAndACommand() throws IOException {
    SagaTestEvents saga = new SagaTestEvents("order-1");
    SagaStateMachine machine =
        new SagaStateMachine(SagaTestEvents.SETTINGS, SagaTestEvents.JOB, "uid");
    SagaState state = null;
    List<SagaCommand> commands = new java.util.ArrayList<>();
    for (SagaEvent e :
        List.of(
            saga.placed(),
            saga.reserved(),
            saga.paid(),
            saga.confirmed(),
            saga.shipmentFailed(true, 1),
            saga.shipmentFailed(false, 2)
                .withSource(org.edapipeline.schemas.Topics.SHIPMENT_EVENTS.name(), 1, 7),
            saga.released())) {
      SagaTransition t = machine.onEvent(state, e, 1_000);
      state = t.state();
      commands.addAll(t.commands());
    }

    assertThat(roundTrip(SagaState.class, state)).usingRecursiveComparison().isEqualTo(state);
    assertThat(commands).isNotEmpty();
    for (SagaCommand command : commands) {
      assertThat(roundTrip(SagaCommand.class, command)).isEqualTo(command);
    }
    assertThat(roundTrip(SagaEvent.class, saga.paymentFailed(true, 2)))
        .isEqualTo(saga.paymentFailed(true, 2));
  }

  private static <T> T roundTrip(Class<T> type, T value) throws IOException {
    TypeSerializer<T> serializer = TypeInformation.of(type).createSerializer(NO_GENERIC_TYPES);
    DataOutputSerializer out = new DataOutputSerializer(512);
    serializer.serialize(value, out);
    return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
  }
}
