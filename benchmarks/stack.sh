# Sourced by the bench-*.sh scripts: starts local-cloud (SQS and S3, no PostgreSQL), the engine, N workers
# and ingest-service from the built jars on ports of their own (BENCH_BASE_PORT and up), uploads an
# image, and stops them all on exit. Needs: ./mvnw package -DskipTests (the jars each script starts), the
# aws CLI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
command -v aws >/dev/null || { echo "the aws CLI is needed" >&2; exit 1; }
built() { # jar
  [ -f "$1" ] || { echo "build first: ./mvnw package -DskipTests (missing $1)" >&2; exit 1; }
}

base="${BENCH_BASE_PORT:-19300}"
sqs_port=$base; s3_port=$((base + 1)); engine_port=$((base + 2)); ingest_port=$((base + 3))
sqs="http://localhost:$sqs_port"; s3="http://localhost:$s3_port"; engine="http://localhost:$engine_port"
ingest="http://localhost:$ingest_port"
jobs_url="$sqs/000000000000/recognition-jobs"; results_url="$sqs/000000000000/recognition-results"
export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
# The operator's API key for the benchmark's requests, and per-key limits far above what is measured.
export BOOTSTRAP_API_KEY="${BOOTSTRAP_API_KEY:-bench-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')}"
export RATE_LIMIT_UPLOADS_PER_SECOND=100000 RATE_LIMIT_UPLOADS_BURST=100000
export RATE_LIMIT_READS_PER_SECOND=100000 RATE_LIMIT_READS_BURST=100000
work=$(mktemp -d)
pids=()
stop_stack() {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap stop_stack EXIT

await() { # what, pid, command...
  local what=$1 pid=$2; shift 2
  for _ in $(seq 1 360); do
    "$@" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { echo "$what exited; see its log:" >&2; tail -30 "$work/$what.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "$what was not ready in 180 s" >&2; exit 1
}

start_cloud() { # objects written under $work/cloud/s3/<bucket>/ before it starts are served by S3
  built local-cloud/target/local-cloud-0.1.0-SNAPSHOT-runner.jar
  LOCAL_CLOUD_DATA_DIR="$work/cloud" LOCAL_CLOUD_SQS_PORT=$sqs_port LOCAL_CLOUD_S3_PORT=$s3_port LOCAL_CLOUD_POSTGRES=false \
    java -jar local-cloud/target/local-cloud-0.1.0-SNAPSHOT-runner.jar >"$work/local-cloud.log" 2>&1 &
  pids+=($!)
  cloud_pid=$!
  await local-cloud $! test -f "$work/cloud/local-cloud.ready"
}

start_engine() { # extra JVM options (ENGINE_OPTS)
  built rekognition-local/target/quarkus-app/quarkus-run.jar
  # shellcheck disable=SC2086
  REKOGNITION_MODELS_DIR="$root/rekognition-local/models/node_modules" REKOGNITION_COLLECTIONS_DIR="$work/collections" \
    java -Dquarkus.http.port=$engine_port -Dquarkus.management.port=$((base + 5)) -Drekognition.s3.endpoint=$s3 ${ENGINE_OPTS:-} "$@" \
    -jar rekognition-local/target/quarkus-app/quarkus-run.jar >"$work/engine.log" 2>&1 &
  pids+=($!)
  engine_pid=$!
  await engine $! curl -sf "$engine/q/health/ready"
}

worker_ports=()
worker_pids=()
launch_worker() { # index, extra JVM options (WORKER_OPTS); does not wait (await_workers)
  built recognition-worker/target/quarkus-app/quarkus-run.jar
  local port=$((base + 10 + $1)); shift
  # shellcheck disable=SC2086
  SQS_ENDPOINT=$sqs S3_ENDPOINT=$s3 REKOGNITION_ENDPOINT=$engine \
    java -Dquarkus.http.port=$port ${WORKER_OPTS:-} "$@" -jar recognition-worker/target/quarkus-app/quarkus-run.jar \
    >"$work/worker-$port.log" 2>&1 &
  pids+=($!)
  worker_pids+=($!)
  worker_ports+=("$port")
}

await_workers() {
  for i in "${!worker_ports[@]}"; do
    await "worker-${worker_ports[i]}" "${worker_pids[i]}" curl -sf "http://localhost:${worker_ports[i]}/q/health/ready"
  done
}

start_worker() { # index, extra JVM options
  launch_worker "$@"
  await_workers
}

stop_workers() { # SIGTERM to the workers this script started, by their process ids
  for pid in "${worker_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${worker_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  worker_pids=()
  worker_ports=()
}

start_ingest() { # extra JVM options
  built ingest-service/target/quarkus-app/quarkus-run.jar
  SQS_ENDPOINT=$sqs S3_ENDPOINT=$s3 INGEST_BASE_URL=$ingest \
    java -Dquarkus.http.port=$ingest_port -Dquarkus.management.port=$((base + 6)) -Dquarkus.log.level=WARN "$@" \
    -jar ingest-service/target/quarkus-app/quarkus-run.jar >"$work/ingest.log" 2>&1 &
  pids+=($!)
  await ingest $! curl -sf "$ingest/q/health/ready"
}

# CPU time (user + system) a process has used so far, in milliseconds.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }

upload_image() { # file -> key
  aws --endpoint-url "$s3" s3 cp --quiet "$1" "s3://images/bench/$(basename "$1")"
  echo "bench/$(basename "$1")"
}

drain() { # jobs, delay seconds
  java benchmarks/DrainBench.java drain "$sqs" "$jobs_url" "$results_url" images "$key" "$1" "$2"
}
