#!/usr/bin/env bash
# ingest-service uploads/s and latency against plain presigned PUTs of the same file to the same S3
# endpoint, at concurrency 1, 8 and 32, in alternating rounds (ratios come from the same round).
# Starts its own local-cloud and ingest-service (benchmarks/stack.sh; no worker: recognition does not
# compete) and stops them after. Needs ab (apt-get install apache2-utils) and the aws CLI.
#   ./mvnw -pl local-cloud,ingest-service -am package -DskipTests &&
#   benchmarks/bench-ingest.sh [IMAGE] [ROUNDS]
source "$(dirname "$0")/stack.sh"
image="${1:-../shared/testdata/objects/horses.jpg}"
rounds="${2:-3}"
requests="${BENCH_REQUESTS:-2000}"
levels="${BENCH_CONCURRENCY:-1 8 32}"
command -v ab >/dev/null || { echo "ab is needed: apt-get install apache2-utils" >&2; exit 1; }
[ -f "$image" ] || { echo "no image at $image" >&2; exit 1; }
start_cloud
start_ingest

size=$(stat -c %s "$image")
# A presigned PUT for the same file from ingest's own direct-upload endpoint (valid 15 minutes, reusable).
put_url() {
  curl -sf -H "X-Api-Key: $BOOTSTRAP_API_KEY" -H 'Content-Type: application/json' \
    -d "{\"contentType\":\"image/jpeg\",\"contentLength\":$size}" "$ingest/v1/uploads" |
    sed 's/.*"url":"\([^"]*\)".*/\1/; s/\\u0026/\&/g'
}
purge() {
  for q in recognition-jobs recognition-results; do
    aws sqs purge-queue --endpoint-url "$sqs" --queue-url "$sqs/000000000000/$q" >/dev/null 2>&1 || true
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
ab -k -q -n 500 -c 8 -H "X-Api-Key: $BOOTSTRAP_API_KEY" -p "$image" -T image/jpeg "$ingest/v1/images" >/dev/null
ab -k -q -n 500 -c 8 -u "$image" -T image/jpeg "$(put_url)" >/dev/null
purge
printf '%-5s %-11s %4s %8s %7s %7s %6s %6s %7s\n' round path conc 'req/s' 'p50 ms' 'p99 ms' failed non2xx ratio
for round in $(seq 1 "$rounds"); do
  for c in $levels; do
    purge
    upload=$(run_ab "$c" -H "X-Api-Key: $BOOTSTRAP_API_KEY" -p "$image" -T image/jpeg "$ingest/v1/images")
    put=$(run_ab "$c" -u "$image" -T image/jpeg "$(put_url)")
    ratio=$(awk -v a="$(echo "$upload" | awk '{print $1}')" -v b="$(echo "$put" | awk '{print $1}')" \
      'BEGIN {printf "%.2f", a / b}')
    printf '%-5s %-11s %4s %s %7s\n' "$round" ingest "$c" "$upload" "$ratio"
    printf '%-5s %-11s %4s %s\n' "$round" presign-put "$c" "$put"
  done
done
