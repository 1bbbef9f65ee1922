#!/usr/bin/env bash
# Entry point of the Flink containers: puts the project's flink-conf/ (mounted read-only at
# /opt/flink/conf-eda) over the image's conf/ and hands over to the image's own entry point,
# which then sets jobmanager.rpc.address and the slot count in that copy. Mounting flink-conf/
# directly on conf/ would not work: the image's entry point rewrites conf/config.yaml.
set -euo pipefail
cp /opt/flink/conf-eda/config.yaml /opt/flink/conf-eda/log4j*.properties /opt/flink/conf/
exec /docker-entrypoint.sh "$@"
