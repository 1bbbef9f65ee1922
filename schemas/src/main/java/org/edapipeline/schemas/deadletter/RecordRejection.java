package org.edapipeline.schemas.deadletter;

/**
 * Marks an exception that rejects a record which decoded but broke a rule of its consumer
 * (validation, a record type the consumer does not take, a business rule). {@link ErrorClassifier}
 * classifies it {@code PERMANENT}: the same record fails the same way every time, until the code or
 * the reference data changes.
 */
public interface RecordRejection {}
