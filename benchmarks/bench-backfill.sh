#!/usr/bin/env bash
# A backfill of N existing objects (default 10,000): seconds per 1,000 objects enqueued as it proceeds,
# to show the cost per image stays flat as the backlog grows. Starts its own local-cloud and
# ingest-service (benchmarks/stack.sh; no worker, so the jobs queue grows by N), writes the objects
# straight into S3Proxy's directory, and stops everything after.
#   ./mvnw -pl local-cloud,ingest-service -am package -DskipTests && benchmarks/bench-backfill.sh [N] [RATE]
source "$(dirname "$0")/stack.sh"
count="${1:-10000}"
rate="${2:-500}"
# The objects, written where S3Proxy's filesystem store keeps bucket "legacy" (one small JPEG copied).
mkdir -p "$work/cloud/s3/legacy/photos"
printf '\xff\xd8\xff\xe0 not decoded by ingest' >"$work/one.jpg"
for i in $(seq 1 "$count"); do printf -v n '%06d' "$i"; cp "$work/one.jpg" "$work/cloud/s3/legacy/photos/img-$n.jpg"; done
start_cloud
start_ingest

echo "machine: $(nproc) cores; $count objects; rate $rate/s"
location=$(curl -sf -D - -o /dev/null -H "X-Api-Key: $BOOTSTRAP_API_KEY" -H 'Content-Type: application/json' \
  -d "{\"bucket\":\"legacy\",\"prefix\":\"photos/\",\"ratePerSecond\":$rate}" \
  "$ingest/v1/backfills" | awk 'tolower($1)=="location:" {print $2}' | tr -d '\r')
start=$(date +%s.%N)
next=1000
last_t=$start
printf '%9s %10s %14s\n' enqueued 'elapsed s' 's per 1,000'
while true; do
  body=$(curl -sf -H "X-Api-Key: $BOOTSTRAP_API_KEY" "$location")
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
