#!/usr/bin/env bash
# One-shot submitter of docker-compose.yml: runs each job of eda-jobs.jar on the session cluster
# through the JobManager's REST API (what `flink run` uses), unless a job of that name already
# runs, so `docker compose up` can be repeated. Arguments are the jobs' typed options
# (--key value, see the jobs module's README).
set -euo pipefail

JOBMANAGER="${JOBMANAGER:-jobmanager:8081}"
JAR=/opt/flink/usrlib/eda-jobs.jar
PARALLELISM="${PARALLELISM:-2}"
COMMON_ARGS=(
  --kafka.bootstrap-servers "${KAFKA_BOOTSTRAP_SERVERS:-kafka:9092}"
  --schema-registry.url "${SCHEMA_REGISTRY_URL:-http://schema-registry:8081}"
)

running() {
  curl -fsS "http://${JOBMANAGER}/jobs/overview" | tr '{' '\n' | grep "\"name\":\"$1\"" | grep -q '"state":"RUNNING"'
}

# submit JOB_NAME MAIN_CLASS [JOB_OPTION...]: the common arguments, then the job's own options.
submit() {
  local name="$1" main_class="$2"
  shift 2
  if running "$name"; then
    echo "$name is already running"
    return
  fi
  echo "Submitting $name ($main_class)"
  # -p: a job submitted this way runs at parallelism 1 unless told otherwise.
  flink run --detached --jobmanager "$JOBMANAGER" --parallelism "$PARALLELISM" \
    --class "$main_class" "$JAR" "${COMMON_ARGS[@]}" "$@"
}

submit iot-aggregation org.edapipeline.jobs.iot.IotAggregationJob
# The saga's deadlines and retention as deploy/k8s/saga-correlation.yaml gives them (cluster-tests'
# DeploymentManifestsTest keeps them equal): payments get 10 min, since gateways retry for minutes;
# a finished saga is remembered 2 days, to recognise redeliveries after a weekend's outage.
submit saga-correlation org.edapipeline.jobs.saga.SagaCorrelationJob --saga.deadline.payment 10min --saga.retention 2d
