#!/usr/bin/env bash
# A backfill of N existing objects (default 10,000): seconds per 1,000 objects enqueued as it proceeds,
# to show the cost per image stays flat as the backlog grows. Starts its own local-cloud and
# ingest-service on spare ports (no worker, so the jobs queue grows by N), writes the objects straight
# into S3Proxy's directory, and stops everything after.
#   ./mvnw -pl local-cloud,ingest-service -am package -DskipTests && benchmarks/bench-backfill.sh [N] [RATE]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-10000}"
rate="${2:-500}"
ingest_port=18281
s3_port=19201
sqs_port=19525
for jar in local-cloud/target/local-cloud-0.1.0-SNAPSHOT-runner.jar ingest-service/target/quarkus-app/quarkus-run.jar; do
  [ -f "$jar" ] || { echo "build first: ./mvnw -pl local-cloud,ingest-service -am package -DskipTests" >&2; exit 1; }
done
work=$(mktemp -d)
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret AWS_REGION=us-east-1
# The objects, written where S3Proxy's filesystem store keeps bucket "legacy" (one small JPEG copied).
mkdir -p "$work/data/s3/legacy/photos"
printf '\xff\xd8\xff\xe0 not decoded by ingest' >"$work/one.jpg"
for i in $(seq 1 "$count"); do printf -v n '%06d' "$i"; cp "$work/one.jpg" "$work/data/s3/legacy/photos/img-$n.jpg"; done
LOCAL_CLOUD_DATA_DIR="$work/data" LOCAL_CLOUD_S3_PORT=$s3_port LOCAL_CLOUD_SQS_PORT=$sqs_port \
  LOCAL_CLOUD_POSTGRES=false java -jar local-cloud/target/local-cloud-0.1.0-SNAPSHOT-runner.jar >"$work/cloud.log" 2>&1 &
cloud=$!
ingest=$cloud
trap 'kill $ingest $cloud 2>/dev/null || true; wait 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do [ -f "$work/data/local-cloud.ready" ] && break; sleep 0.5; done
[ -f "$work/data/local-cloud.ready" ] || { cat "$work/cloud.log"; exit 1; }
S3_ENDPOINT=http://localhost:$s3_port SQS_ENDPOINT=http://localhost:$sqs_port \
  java -Dquarkus.http.port=$ingest_port -Dquarkus.log.level=WARN -jar ingest-service/target/quarkus-app/quarkus-run.jar \
  >"$work/ingest.log" 2>&1 &
ingest=$!
for _ in $(seq 1 120); do curl -sf "http://localhost:$ingest_port/q/health/ready" >/dev/null && break; sleep 0.5; done

echo "machine: $(nproc) cores; $count objects; rate $rate/s"
location=$(curl -sf -D - -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"bucket\":\"legacy\",\"prefix\":\"photos/\",\"ratePerSecond\":$rate}" \
  "http://localhost:$ingest_port/v1/backfills" | awk 'tolower($1)=="location:" {print $2}' | tr -d '\r')
start=$(date +%s.%N)
next=1000
last_t=$start
printf '%9s %10s %14s\n' enqueued 'elapsed s' 's per 1,000'
while true; do
  body=$(curl -sf "$location")
  enq=$(echo "$body" | sed 's/.*"enqueued":\([0-9]*\).*/\1/')
  state=$(echo "$body" | sed 's/.*"state":"\([A-Z]*\)".*/\1/')
  now=$(date +%s.%N)
  while [ "$enq" -ge "$next" ]; do
    awk -v e="$next" -v t="$now" -v s="$start" -v l="$last_t" 'BEGIN {printf "%9d %10.1f %14.2f\n", e, t - s, t - l}'
    last_t=$now
    next=$((next + 1000))
  done
  [ "$state" = RUNNING ] || break
  sleep 0.25
done
echo "final: $body"
