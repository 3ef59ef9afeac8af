#!/usr/bin/env bash
# ingest-service uploads/s and latency against plain presigned PUTs of the same file to the same S3
# endpoint, at concurrency 1, 8 and 32, in alternating rounds (ratios come from the same round).
# Starts its own local-cloud and ingest-service on spare ports (no worker: recognition does not compete)
# and stops them after. Needs ab (apt-get install apache2-utils) and the aws CLI.
#   ./mvnw -pl local-cloud,ingest-service -am package -DskipTests &&
#   benchmarks/bench-ingest.sh [IMAGE] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
image="${1:-../shared/testdata/objects/horses.jpg}"
rounds="${2:-3}"
requests="${BENCH_REQUESTS:-2000}"
levels="${BENCH_CONCURRENCY:-1 8 32}"
ingest_port=18280
s3_port=19200
sqs_port=19524
pg_port=19532
command -v ab >/dev/null || { echo "ab is needed: apt-get install apache2-utils" >&2; exit 1; }
command -v aws >/dev/null || { echo "the aws CLI is needed" >&2; exit 1; }
[ -f "$image" ] || { echo "no image at $image" >&2; exit 1; }
for jar in local-cloud/target/local-cloud-0.1.0-SNAPSHOT-runner.jar ingest-service/target/quarkus-app/quarkus-run.jar; do
  [ -f "$jar" ] || { echo "build first: ./mvnw -pl local-cloud,ingest-service -am package -DskipTests" >&2; exit 1; }
done

work=$(mktemp -d)
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret AWS_REGION=us-east-1 AWS_PAGER=""
LOCAL_CLOUD_DATA_DIR="$work/data" LOCAL_CLOUD_S3_PORT=$s3_port LOCAL_CLOUD_SQS_PORT=$sqs_port \
  LOCAL_CLOUD_POSTGRES=false java -jar local-cloud/target/local-cloud-0.1.0-SNAPSHOT-runner.jar >"$work/cloud.log" 2>&1 &
cloud=$!
trap 'kill $ingest $cloud 2>/dev/null || true; wait 2>/dev/null; rm -rf "$work"' EXIT
ingest=$cloud
for _ in $(seq 1 120); do [ -f "$work/data/local-cloud.ready" ] && break; sleep 0.5; done
[ -f "$work/data/local-cloud.ready" ] || { cat "$work/cloud.log"; exit 1; }
S3_ENDPOINT=http://localhost:$s3_port SQS_ENDPOINT=http://localhost:$sqs_port \
  java -Dquarkus.http.port=$ingest_port -Dquarkus.log.level=WARN -jar ingest-service/target/quarkus-app/quarkus-run.jar \
  >"$work/ingest.log" 2>&1 &
ingest=$!
for _ in $(seq 1 120); do curl -sf "http://localhost:$ingest_port/q/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "http://localhost:$ingest_port/q/health/ready" >/dev/null || { cat "$work/ingest.log"; exit 1; }

size=$(stat -c %s "$image")
# A presigned PUT for the same file from ingest's own direct-upload endpoint (valid 15 minutes, reusable).
put_url() {
  curl -sf -H 'Content-Type: application/json' \
    -d "{\"contentType\":\"image/jpeg\",\"contentLength\":$size}" "http://localhost:$ingest_port/v1/uploads" |
    sed 's/.*"url":"\([^"]*\)".*/\1/; s/\\u0026/\&/g'
}
purge() {
  for q in recognition-jobs recognition-results; do
    aws sqs purge-queue --endpoint-url "http://localhost:$sqs_port" \
      --queue-url "http://localhost:$sqs_port/000000000000/$q" >/dev/null 2>&1 || true
  done
}
# ab's figures: requests/s, p50 ms, p99 ms, failed requests, non-2xx answers.
run_ab() {
  ab -k -q -n "$requests" -c "$@" >"$work/ab.out" 2>&1 || { cat "$work/ab.out" >&2; return 1; }
  awk '/^Requests per second/ {rps=$4} /^  50%/ {p50=$2} /^  99%/ {p99=$2}
       /^Failed requests/ {failed=$3} /^Non-2xx responses/ {non2xx=$3}
       END {printf "%8.1f %7s %7s %6s %6s", rps, p50, p99, failed, (non2xx == "" ? 0 : non2xx)}' "$work/ab.out"
}

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); image $image ($size bytes); $requests requests per run"
# Warm-up: both paths, so JIT compilation is not measured.
ab -k -q -n 500 -c 8 -p "$image" -T image/jpeg "http://localhost:$ingest_port/v1/images" >/dev/null
ab -k -q -n 500 -c 8 -u "$image" -T image/jpeg "$(put_url)" >/dev/null
purge
printf '%-5s %-11s %4s %8s %7s %7s %6s %6s %7s\n' round path conc 'req/s' 'p50 ms' 'p99 ms' failed non2xx ratio
for round in $(seq 1 "$rounds"); do
  for c in $levels; do
    purge
    upload=$(run_ab "$c" -p "$image" -T image/jpeg "http://localhost:$ingest_port/v1/images")
    put=$(run_ab "$c" -u "$image" -T image/jpeg "$(put_url)")
    ratio=$(awk -v a="$(echo "$upload" | awk '{print $1}')" -v b="$(echo "$put" | awk '{print $1}')" \
      'BEGIN {printf "%.2f", a / b}')
    printf '%-5s %-11s %4s %s %7s\n' "$round" ingest "$c" "$upload" "$ratio"
    printf '%-5s %-11s %4s %s\n' "$round" presign-put "$c" "$put"
  done
done
