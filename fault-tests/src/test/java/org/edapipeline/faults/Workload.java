package org.edapipeline.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.iot.DeviceRegistered;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.events.iot.SensorSpec;

/**
 * One run's input, deterministic from its name, seed and size: orders whose outcomes are known in
 * advance, grouped into the services' database transactions, and IoT readings with known counts per
 * tumbling window.
 *
 * <p>Orders: about 80% complete, 15% are compensated (payment declined, reservation released), 5%
 * time out (the inventory service never answers; their {@code OrderPlaced} comes first in the run,
 * so their deadline timers are pending while the fault hits). For the other orders each service's
 * events come in a shuffled service order, the order service last: facts that wait for their order
 * are stored by the saga, so no completing saga waits on a deadline (which a fault could exceed).
 *
 * <p>Readings: devices spread over every partition of {@code iot.readings} (explicit partitions, so
 * no partition goes idle), readings one per second of event time per device in event-time order,
 * then (see {@link #ticks()}) one tick per partition far enough ahead that every window of the run
 * fires. Event times of run {@code index} lie in their own span, after every earlier run's, so runs
 * never make each other's readings late.
 */
final class Workload {
  /** The sensor every simulated device has. */
  static final String SENSOR = "temperature";

  static final String UNIT = "Cel";

  /** Readings of a device are this far apart in event time. */
  static final int READING_INTERVAL_MILLIS = 200;

  /** What devices announce as their reporting interval (silence alerts follow the run). */
  static final int REPORTING_INTERVAL_MILLIS = 1_000;

  /** An order and how it must end. */
  record PlannedOrder(String orderId, Outcome outcome) {}

  /**
   * One service's database transaction: its events, written by its OutboxWriter, one commit.
   *
   * @param orderIds the orders it carries events of
   * @param endsGroup whether the next transaction may be written concurrently with this one (the
   *     order service's transaction ends a batch of orders: the batch's other services' events must
   *     be committed before it, so the batch is written in order by one writer)
   */
  record ServiceTransaction(
      String service, List<SpecificRecord> events, List<String> orderIds, boolean endsGroup) {}

  /** A reading (or a device registration) and the partition it is produced to. */
  record Produced(int partition, String key, SpecificRecord value) {}

  /** A tumbling window of one device's sensor. */
  record WindowKey(String deviceId, long windowStart) {}

  private final String name;
  private final List<PlannedOrder> orders = new ArrayList<>();
  private final List<ServiceTransaction> transactions = new ArrayList<>();
  private final List<Produced> registrations = new ArrayList<>();
  private final List<Produced> readings = new ArrayList<>();
  private final List<Produced> ticks = new ArrayList<>();
  private final List<Produced> tickRegistrations = new ArrayList<>();
  private final Map<WindowKey, Long> expectedWindows = new LinkedHashMap<>();
  private final int sagaEvents;

  /**
   * @param name the run's name, the prefix of every id it writes
   * @param seed what makes the shuffles reproducible
   * @param orderCount orders of the run; readings are about four times as many events
   * @param eventTimeBase start of the run's event-time span (readings' measuredAt)
   * @param window the IoT job's tumbling window size
   * @param partitions partitions of {@code iot.readings} and {@code iot.devices}
   * @param couponCodes whether OrderPlaced events carry version 2's couponCode
   */
  Workload(
      String name,
      long seed,
      int orderCount,
      Instant eventTimeBase,
      Duration window,
      int partitions,
      boolean couponCodes) {
    this.name = name;
    Random random = new Random(seed ^ name.hashCode());
    Instant placedAt = eventTimeBase;
    List<ServiceTransaction> timedOut = new ArrayList<>();
    List<PlannedOrder> others = new ArrayList<>();
    for (int i = 0; i < orderCount; i++) {
      int roll = random.nextInt(100);
      Outcome outcome =
          i == 0 || roll < 5
              ? Outcome.TIMED_OUT
              : i == 1 || roll < 20 ? Outcome.COMPENSATED : Outcome.COMPLETED;
      PlannedOrder order = new PlannedOrder(String.format("%s-o%06d", name, i), outcome);
      orders.add(order);
      if (outcome == Outcome.TIMED_OUT) {
        timedOut.add(
            new ServiceTransaction(
                "order",
                List.of(
                    new OrderEvents(order.orderId(), placedAt).placed(couponCodes && i % 2 == 0)),
                List.of(order.orderId()),
                true));
      } else {
        others.add(order);
      }
    }
    transactions.addAll(timedOut);
    int chunk = 10;
    for (int from = 0; from < others.size(); from += chunk) {
      List<PlannedOrder> batch = others.subList(from, Math.min(others.size(), from + chunk));
      List<String> services = new ArrayList<>(List.of("inventory", "payment", "shipment"));
      Collections.shuffle(services, random);
      services.add("order");
      for (String service : services) {
        List<SpecificRecord> events = new ArrayList<>();
        List<String> orderIds = new ArrayList<>();
        for (PlannedOrder order : batch) {
          List<SpecificRecord> ofOrder =
              eventsOf(service, order, new OrderEvents(order.orderId(), placedAt), couponCodes);
          events.addAll(ofOrder);
          if (!ofOrder.isEmpty()) {
            orderIds.add(order.orderId());
          }
        }
        if (!events.isEmpty()) {
          transactions.add(
              new ServiceTransaction(service, events, orderIds, service.equals("order")));
        }
      }
    }
    this.sagaEvents = transactions.stream().mapToInt(t -> t.events().size()).sum();
    planReadings(random, orderCount, eventTimeBase, window, partitions);
  }

  private static List<SpecificRecord> eventsOf(
      String service, PlannedOrder order, OrderEvents events, boolean couponCodes) {
    boolean completes = order.outcome() == Outcome.COMPLETED;
    return switch (service) {
      case "order" -> List.of(events.placed(couponCodes && order.orderId().hashCode() % 2 == 0));
      case "inventory" ->
          completes ? List.of(events.reserved()) : List.of(events.reserved(), events.released());
      case "payment" -> List.of(completes ? events.paid() : events.declined());
      case "shipment" -> completes ? List.of(events.dispatched(), events.delivered()) : List.of();
      default -> throw new IllegalArgumentException(service);
    };
  }

  private void planReadings(
      Random random, int orderCount, Instant base, Duration window, int partitions) {
    int devices = Math.max(partitions, orderCount / 5);
    int perDevice = 20;
    long windowMillis = window.toMillis();
    long start = base.toEpochMilli();
    for (int d = 0; d < devices + partitions; d++) {
      boolean tick = d >= devices;
      String deviceId =
          tick ? String.format("%s-tick%d", name, d - devices) : String.format("%s-d%05d", name, d);
      registrations.add(new Produced(d % partitions, deviceId, registration(deviceId, base)));
    }
    for (int r = 0; r < perDevice; r++) {
      long measuredAt = start + (long) r * READING_INTERVAL_MILLIS;
      for (int d = 0; d < devices; d++) {
        String deviceId = String.format("%s-d%05d", name, d);
        double value = 15 + random.nextInt(1_000) / 100.0;
        readings.add(new Produced(d % partitions, deviceId, reading(deviceId, measuredAt, value)));
        long windowStart = measuredAt - Math.floorMod(measuredAt, windowMillis);
        expectedWindows.merge(new WindowKey(deviceId, windowStart), 1L, Long::sum);
      }
    }
    // Far enough ahead that the watermark passes the last window's end plus its lateness.
    long tickAt = start + (long) perDevice * READING_INTERVAL_MILLIS + 10 * windowMillis + 60_000;
    for (int p = 0; p < partitions; p++) {
      String deviceId = String.format("%s-tick%d", name, p);
      ticks.add(new Produced(p, deviceId, reading(deviceId, tickAt, 20.0)));
      tickRegistrations.add(
          new Produced(p, deviceId, registration(deviceId, Instant.ofEpochMilli(tickAt))));
    }
  }

  /**
   * A registration that happened {@code at} (event time), one second before. The device stream's
   * watermark follows {@code occurredAt}: registered at wall-clock time (hours after the readings'
   * event time), it would set the IoT job's event time to now whenever the readings' partitions are
   * idle (between runs), and every reading of the next run would be late.
   */
  private static DeviceRegistered registration(String deviceId, Instant at) {
    Instant occurredAt = at.minusSeconds(1);
    return DeviceRegistered.newBuilder()
        .setMetadata(
            metadata(
                deviceId,
                "DeviceRegistered",
                deviceId + "/registered@" + occurredAt.toEpochMilli(),
                occurredAt))
        .setDeviceId(deviceId)
        .setDeviceType("thermometer")
        .setReportingIntervalMillis(REPORTING_INTERVAL_MILLIS)
        .setSensors(
            List.of(
                SensorSpec.newBuilder()
                    .setSensorType(SENSOR)
                    .setUnit(UNIT)
                    .setPhysicalMin(-50)
                    .setPhysicalMax(150)
                    .setAlertBelow(null)
                    .setAlertAbove(null)
                    .build()))
        .build();
  }

  private static SensorReadingRecorded reading(String deviceId, long measuredAt, double value) {
    Instant at = Instant.ofEpochMilli(measuredAt);
    return SensorReadingRecorded.newBuilder()
        .setMetadata(metadata(deviceId, "SensorReadingRecorded", deviceId + "/" + measuredAt, at))
        .setDeviceId(deviceId)
        .setSensorType(SENSOR)
        .setValue(value)
        .setUnit(UNIT)
        .setMeasuredAt(at)
        .build();
  }

  private static EventMetadata metadata(
      String deviceId, String type, String idName, Instant occurredAt) {
    return EventMetadata.newBuilder()
        .setEventId(OrderEvents.nameUuid(idName))
        .setEventType(type)
        .setSchemaVersion(1)
        .setAggregateType("device")
        .setAggregateId(deviceId)
        .setCorrelationId(deviceId)
        .setCausationId(null)
        .setOccurredAt(occurredAt)
        .setTraceparent(null)
        .build();
  }

  String name() {
    return name;
  }

  List<PlannedOrder> orders() {
    return orders;
  }

  /** The services' transactions, in the order they commit. */
  List<ServiceTransaction> transactions() {
    return transactions;
  }

  /** Device registrations, produced to {@code iot.devices} before the readings. */
  List<Produced> registrations() {
    return registrations;
  }

  /** Readings in event-time order. */
  List<Produced> readings() {
    return readings;
  }

  /**
   * One reading per partition far ahead in event time, sent once every reading of the run was
   * consumed: they move the watermark past every window of the run. Sent earlier, a subtask that
   * reads its tick first could push the watermark past readings another subtask has not read yet.
   */
  List<Produced> ticks() {
    return ticks;
  }

  /**
   * The tick devices registered again at the ticks' event time, one per partition of {@code
   * iot.devices}: the device stream's watermark holds the readings' event time back, so it must
   * move too for the run's windows to fire.
   */
  List<Produced> tickRegistrations() {
    return tickRegistrations;
  }

  /** Expected reading count per tumbling window (ticks excluded). */
  Map<WindowKey, Long> expectedWindows() {
    return expectedWindows;
  }

  /** Outbox events of the run. */
  int sagaEvents() {
    return sagaEvents;
  }

  /** Every event the run puts into the pipeline. */
  long eventsIn() {
    return sagaEvents
        + registrations.size()
        + readings.size()
        + ticks.size()
        + tickRegistrations.size();
  }
}
