#!/usr/bin/env bash
# Builds the benchmark modules and runs the benchmarks. See benchmarks/README.md.
#   benchmarks/run.sh [--quick] [harness options…]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Pbenchmarks -pl benchmarks/harness,benchmarks/flink-contenders,benchmarks/kafka-contenders,benchmarks/connect-contenders -am -DskipTests package
exec java -Xmx2g -cp "benchmarks/harness/target/classes:$(cat benchmarks/harness/target/classpath.txt)" \
  org.edapipeline.bench.harness.BenchmarkMain "$@"
