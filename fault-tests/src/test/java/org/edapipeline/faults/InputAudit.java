package org.edapipeline.faults;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.GenericRecordAvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.edapipeline.jobs.common.Sourced;

/**
 * Keyed state whose type evolves between the two {@link Release}s: per input partition, how many
 * records the job read and the last offset, as an Avro record kept in RocksDB. The {@link
 * Release#NEXT next release} adds a field with a default ({@code upgradedAtOffset}, -1), so
 * restoring the current release's savepoint makes Flink migrate every entry to the new schema (Avro
 * schema resolution: compatible after migration); the next release then records the offset at which
 * it first saw each partition.
 *
 * <p>It runs on a branch of its own (its output is discarded), so the jobs' own path is unchanged.
 * Each entry the next release finds migrated (the new field at its default) is reported to {@link
 * #migrated()}: the suite requires them after the restore, with the counts of the old release.
 */
final class InputAudit<T> extends KeyedProcessFunction<String, Sourced<T>, Void> {
  private static final long serialVersionUID = 1L;

  /** An entry written by the current release, read back by the next one. */
  record Migrated(String partition, long records, long upgradedAtOffset) {}

  private static final List<Migrated> MIGRATED = new CopyOnWriteArrayList<>();

  private final Release release;
  private transient ValueState<GenericRecord> audit;
  private transient Schema schema;

  InputAudit(Release release) {
    this.release = release;
  }

  /** The key: the record's input partition. */
  static <T> String partitionOf(Sourced<T> record) {
    return record.origin.topic + "-" + record.origin.partition;
  }

  /** Entries of the current release the next one found migrated, in the order found. */
  static List<Migrated> migrated() {
    return List.copyOf(MIGRATED);
  }

  @Override
  public void open(OpenContext context) {
    schema = new Schema.Parser().parse(release.auditSchema());
    audit =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("input-audit", new GenericRecordAvroTypeInfo(schema)));
  }

  @Override
  public void processElement(Sourced<T> record, Context context, Collector<Void> out)
      throws Exception {
    GenericRecord entry = audit.value();
    if (entry == null) {
      entry = new GenericData.Record(schema);
      entry.put("records", 0L);
      if (release == Release.NEXT) {
        entry.put("upgradedAtOffset", record.origin.offset);
      }
    } else if (release == Release.NEXT && (Long) entry.get("upgradedAtOffset") < 0) {
      MIGRATED.add(
          new Migrated(
              context.getCurrentKey(),
              (Long) entry.get("records"),
              (Long) entry.get("upgradedAtOffset")));
      entry.put("upgradedAtOffset", record.origin.offset);
    }
    entry.put("records", (Long) entry.get("records") + 1);
    entry.put("lastOffset", record.origin.offset);
    audit.update(entry);
  }
}
