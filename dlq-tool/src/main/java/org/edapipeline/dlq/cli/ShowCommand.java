package org.edapipeline.dlq.cli;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericRecord;
import org.edapipeline.dlq.kafka.DlqTopic;
import org.edapipeline.dlq.read.DeadLetterEntry;
import org.edapipeline.dlq.replay.ReplayCount;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.DeadLetterHeader;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.edapipeline.schemas.serde.WireFormat;
import org.edapipeline.schemas.serde.WireFormatException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dlq show P:O}: one dead letter in full. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description =
        "Show one dead letter in full: provenance, error with stack trace, original key "
            + "and headers, and the original value as a hex dump and, when it decodes through "
            + "the registry, as Avro.")
public final class ShowCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @ArgGroup(exclusive = true, multiplicity = "1")
  QueueOptions queue;

  @Parameters(
      index = "0",
      paramLabel = "PARTITION:OFFSET",
      description = "Position in the dead-letter queue, as in the POS column of 'dlq list'.")
  String position;

  @Option(
      names = "--max-bytes",
      paramLabel = "N",
      defaultValue = "1024",
      description = "Bytes of the original value to dump at most (default ${DEFAULT-VALUE}).")
  int maxBytes;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    String[] parts = position.split(":");
    int partition;
    long offset;
    try {
      if (parts.length != 2) {
        throw new NumberFormatException();
      }
      partition = Integer.parseInt(parts[0]);
      offset = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("PARTITION:OFFSET: '" + position + "' is not like 0:42");
    }
    DlqTopic dlq = queue.dlq();
    PrintWriter out = spec.commandLine().getOut();
    try (QueueReader reader = new QueueReader(connection.clientConfig(), "dlq-show")) {
      reader.readOne(
          dlq,
          partition,
          offset,
          entry -> {
            print(out, entry, reader.registry);
            return false;
          });
    }
    out.flush();
    return 0;
  }

  private void print(PrintWriter out, DeadLetterEntry entry, SchemaRegistryClient registry) {
    out.printf("%s %s%n", entry.dlqTopic(), entry.position());
    if (!entry.decoded()) {
      out.printf("not a dead letter: %s%n", entry.decodeError().getMessage());
      return;
    }
    DeadLetter d = entry.deadLetter();
    field(
        out,
        "source",
        d.getSourceTopic()
            + " partition "
            + d.getSourcePartition()
            + " offset "
            + d.getSourceOffset());
    field(out, "source timestamp", String.valueOf(d.getSourceTimestamp()));
    field(out, "job", d.getJobName());
    field(out, "operator uid", d.getOperatorUid());
    field(out, "category", d.getErrorCategory().name());
    field(out, "error class", d.getErrorClass());
    field(out, "message", String.valueOf(d.getErrorMessage()));
    field(out, "attempts", Integer.toString(d.getAttemptCount()));
    field(out, "first failure", d.getFirstFailureAt().toString());
    field(out, "last failure", d.getLastFailureAt().toString());
    field(out, "event id", String.valueOf(d.getEventId()));
    field(out, "correlation id", String.valueOf(d.getCorrelationId()));
    field(
        out,
        "replay count",
        ReplayCount.of(d.getOriginalHeaders()).stream()
            .mapToObj(Integer::toString)
            .findFirst()
            .orElse("(unreadable)"));
    field(out, "key", Text.printable(d.getOriginalKey()));
    out.println("headers:");
    if (d.getOriginalHeaders().isEmpty()) {
      out.println("  (none)");
    }
    for (DeadLetterHeader header : d.getOriginalHeaders()) {
      out.printf("  %s = %s%n", header.getKey(), Text.printable(header.getValue()));
    }
    printValue(out, d.getOriginalValue(), registry);
    out.println("stack trace:");
    out.println(d.getStackTrace() == null ? "  (none)" : d.getStackTrace().stripTrailing());
  }

  private void printValue(PrintWriter out, ByteBuffer buffer, SchemaRegistryClient registry) {
    if (buffer == null) {
      out.println("value: (null: a tombstone)");
      return;
    }
    byte[] value = Text.bytes(buffer);
    out.printf("value: %d bytes%n", value.length);
    out.print(Text.hexDump(value, maxBytes));
    try (AvroWireDeserializer<GenericRecord> generic = AvroWireDeserializer.forGeneric(registry)) {
      GenericRecord record = generic.decode(value);
      out.printf(
          "value as Avro (schema id %d, %s):%n  %s%n",
          WireFormat.schemaId(value), record.getSchema().getFullName(), record);
    } catch (WireFormatException e) {
      out.printf("value does not decode: %s: %s%n", e.getClass().getSimpleName(), e.getMessage());
    }
  }

  private static void field(PrintWriter out, String name, String value) {
    out.printf("%-17s %s%n", name + ":", value);
  }
}
