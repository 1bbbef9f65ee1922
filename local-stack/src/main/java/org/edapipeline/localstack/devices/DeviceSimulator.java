package org.edapipeline.localstack.devices;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.iot.DeviceRegistered;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.serde.AvroWireSerializer;
import org.edapipeline.schemas.serde.TopicRecordNameStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated IoT devices: registers them on {@code iot.devices}, then sends their readings to {@code
 * iot.readings} (Avro through the registry, key = device id, the metadata as headers) with jitter,
 * and with the imperfections the IoT job must handle: out-of-order and late readings, a device
 * going silent in turn, duplicates, values outside the physical range, and random bytes.
 */
public final class DeviceSimulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceSimulator.class);

  private final DeviceSettings settings;
  private final List<SimulatedDevice> devices = new ArrayList<>();
  private final KafkaProducer<byte[], byte[]> producer;
  private final AvroWireSerializer<SensorReadingRecorded> readings;
  private final AvroWireSerializer<SpecificRecord> registrations;
  private final ScheduledExecutorService clock;
  private final AtomicLong sendFailures = new AtomicLong();
  private long startedNanos;

  private DeviceSimulator(
      DeviceSettings settings, String bootstrapServers, SchemaRegistryClient registry) {
    this.settings = settings;
    for (int i = 1; i <= settings.devices(); i++) {
      devices.add(new SimulatedDevice(i, i % 4 == 0)); // every fourth device overheats in phases
    }
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG,
                "device-simulator",
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                20),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    this.readings = AvroWireSerializer.builder(registry).build();
    this.registrations =
        AvroWireSerializer.builder(registry)
            .subjectNameStrategy(new TopicRecordNameStrategy())
            .build();
    this.clock =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "device-simulator");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Registers the devices (waiting for Kafka's acknowledgement), then starts the readings. */
  public static DeviceSimulator start(
      DeviceSettings settings, String bootstrapServers, SchemaRegistryClient registry) {
    DeviceSimulator simulator = new DeviceSimulator(settings, bootstrapServers, registry);
    try {
      simulator.register();
    } catch (RuntimeException e) {
      simulator.close();
      throw e;
    }
    simulator.startedNanos = System.nanoTime();
    long period = settings.readingInterval().toNanos();
    simulator.clock.scheduleAtFixedRate(simulator::tick, 0, period, TimeUnit.NANOSECONDS);
    return simulator;
  }

  private void register() {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    String topic = Topics.IOT_DEVICES.name();
    for (SimulatedDevice device : devices) {
      DeviceRegistered registration = device.registration(settings.readingInterval());
      sent.add(
          producer.send(
              record(
                  topic,
                  device.deviceId(),
                  registrations.serialize(topic, registration),
                  registration.getMetadata())));
    }
    producer.flush();
    try {
      for (Future<RecordMetadata> ack : sent) {
        ack.get(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while registering devices", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Could not register the devices on " + topic, e);
    }
    LOG.info("Registered {} devices on {}", devices.size(), topic);
  }

  private void tick() {
    try {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - startedNanos);
      SimulatedDevice silent = silentDevice(elapsed);
      boolean hot =
          !settings.hotPhase().isZero()
              && (elapsed.toMillis() / settings.hotPhase().toMillis()) % 2 == 0;
      for (SimulatedDevice device : devices) {
        if (device != silent) {
          send(device, SimulatedDevice.TEMPERATURE, hot);
          send(device, SimulatedDevice.HUMIDITY, hot);
        }
      }
    } catch (RuntimeException e) {
      // The next tick tries again; a simulator problem must not end the schedule.
      LOG.warn("Device simulator: {}", e.toString());
    }
  }

  /** The device that is silent now, if any: one at a time, in turn. */
  private SimulatedDevice silentDevice(Duration elapsed) {
    if (settings.silentEvery().isZero()) {
      return null;
    }
    long period = settings.silentEvery().toMillis();
    long index = elapsed.toMillis() / period;
    boolean silent = elapsed.toMillis() - index * period < settings.silentFor().toMillis();
    return silent && index > 0 ? devices.get((int) ((index - 1) % devices.size())) : null;
  }

  private void send(SimulatedDevice device, String sensor, boolean hot) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String topic = Topics.IOT_READINGS.name();
    if (chance(settings.malformedRate())) {
      byte[] garbage = new byte[8 + random.nextInt(56)];
      random.nextBytes(garbage);
      producer.send(
          new ProducerRecord<>(topic, device.deviceId().getBytes(StandardCharsets.UTF_8), garbage),
          this::onAck);
      return;
    }
    Instant measuredAt = Instant.now().minusMillis(random.nextLong(200)); // network jitter
    if (chance(settings.lateRate())) {
      measuredAt = measuredAt.minus(settings.lateBy());
    } else if (chance(settings.outOfOrderRate())) {
      measuredAt = measuredAt.minusMillis(random.nextLong(settings.outOfOrderBy().toMillis() + 1));
    }
    SensorReadingRecorded reading = device.reading(sensor, measuredAt, hot);
    if (chance(settings.outOfRangeRate())) {
      reading.setValue(SimulatedDevice.TEMPERATURE.equals(sensor) ? 999.0 : -5.0);
    }
    ProducerRecord<byte[], byte[]> record =
        record(topic, device.deviceId(), readings.serialize(topic, reading), reading.getMetadata());
    producer.send(record, this::onAck);
    if (chance(settings.duplicateRate())) {
      producer.send(record, this::onAck); // a device retrying a send whose ack it lost
    }
  }

  private static ProducerRecord<byte[], byte[]> record(
      String topic, String key, byte[] value, EventMetadata metadata) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
    record.headers().add(EventHeaders.EVENT_ID, utf8(metadata.getEventId().toString()));
    record.headers().add(EventHeaders.EVENT_TYPE, utf8(metadata.getEventType()));
    record.headers().add(EventHeaders.CORRELATION_ID, utf8(metadata.getCorrelationId()));
    return record;
  }

  private void onAck(RecordMetadata metadata, Exception failure) {
    if (failure != null && sendFailures.getAndIncrement() % 100 == 0) {
      LOG.warn(
          "Device simulator: a send failed ({} so far): {}",
          sendFailures.get(),
          failure.toString());
    }
  }

  private static boolean chance(double rate) {
    return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
  }

  private static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  /** Stops sending and flushes what was sent. */
  @Override
  public void close() {
    clock.shutdownNow();
    try {
      clock.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(10));
  }
}
