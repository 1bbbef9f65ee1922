#!/usr/bin/env bash
# Creates every topic of the pipeline (schemas' Topics.all(): 3 partitions each, compacted
# state topics, 14-day dead-letter queues) before anything produces or consumes. Idempotent.
# Run by the kafka-init service of docker-compose.yml; ComposeFileTest checks this list against
# the topic catalogue, so add a topic there and here together.
set -euo pipefail

BOOTSTRAP_SERVERS="${BOOTSTRAP_SERVERS:-kafka:9092}"
REPLICATION_FACTOR="${REPLICATION_FACTOR:-1}"
TOPICS_CLI=/opt/kafka/bin/kafka-topics.sh

# create_topic NAME PARTITIONS [CONFIG=VALUE ...]
create_topic() {
  local name="$1" partitions="$2"
  shift 2
  local configs=()
  for config in "$@"; do
    configs+=(--config "$config")
  done
  "$TOPICS_CLI" --bootstrap-server "$BOOTSTRAP_SERVERS" --create --if-not-exists \
    --topic "$name" --partitions "$partitions" --replication-factor "$REPLICATION_FACTOR" \
    "${configs[@]}"
}

# Outbox (CDC) topics, one per aggregate type
create_topic order.events 3 cleanup.policy=delete
create_topic inventory.events 3 cleanup.policy=delete
create_topic payment.events 3 cleanup.policy=delete
create_topic shipment.events 3 cleanup.policy=delete

# Devices
create_topic iot.readings 3 cleanup.policy=delete
create_topic iot.devices 3 cleanup.policy=compact

# Outputs of the jobs
create_topic saga.state 3 cleanup.policy=compact
create_topic saga.commands 3 cleanup.policy=delete
create_topic iot.aggregates 3 cleanup.policy=delete
create_topic iot.alerts 3 cleanup.policy=delete
create_topic iot.late 3 cleanup.policy=delete

# Dead-letter queues of the topics the pipeline consumes (14 days; 2 MiB records: a dead letter
# holds the whole original value, up to Kafka's default 1 MiB, plus its error)
create_topic order.events.dlq 3 cleanup.policy=delete retention.ms=1209600000 max.message.bytes=2097152
create_topic inventory.events.dlq 3 cleanup.policy=delete retention.ms=1209600000 max.message.bytes=2097152
create_topic payment.events.dlq 3 cleanup.policy=delete retention.ms=1209600000 max.message.bytes=2097152
create_topic shipment.events.dlq 3 cleanup.policy=delete retention.ms=1209600000 max.message.bytes=2097152
create_topic iot.readings.dlq 3 cleanup.policy=delete retention.ms=1209600000 max.message.bytes=2097152
create_topic iot.devices.dlq 3 cleanup.policy=delete retention.ms=1209600000 max.message.bytes=2097152
create_topic saga.commands.dlq 3 cleanup.policy=delete retention.ms=1209600000 max.message.bytes=2097152
# Records the CDC outbox source could not publish
create_topic cdc.outbox.dlq 3 cleanup.policy=delete retention.ms=1209600000 max.message.bytes=2097152

# Operations: the dlq tool's depth alerts
create_topic dlq.alerts 3 cleanup.policy=delete

"$TOPICS_CLI" --bootstrap-server "$BOOTSTRAP_SERVERS" --list
