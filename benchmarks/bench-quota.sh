#!/usr/bin/env bash
# Four workers against one engine with a quota of 5 calls/s (rekognition.quota.calls-per-second=5, burst 5),
# a backlog of jobs each round, in three set-ups measured in turn in the same run:
#   share     each worker's budget is a quarter of the quota (worker.rekognition.calls-per-second=1.25)
#   adaptive  no budget; the AWS SDK's ADAPTIVE retry mode (client-side rate limiting after throttles)
#   none      no budget; standard retries only (what the quota does to a worker that ignores it)
# From the engine's own log of its quota decisions (one line per call as it arrives, at DEBUG), per
# second of the drain: calls that arrived (admitted or refused) and calls admitted; the longest run of
# seconds in which arrivals were above the quota; throttles; images/s. Every job must end SUCCEEDED.
# Jobs ask for IMAGE_PROPERTIES only (BENCH_FEATURE), which costs the engine a few ms, so that the quota
# and not the engine's speed limits the drain on a loaded 2-core machine.
#   ./mvnw package -DskipTests && benchmarks/bench-quota.sh [IMAGE]
# Settings: BENCH_JOBS (100 per set-up and round), BENCH_ROUNDS (2), BENCH_SETUPS ("share adaptive none").
source "$(dirname "$0")/stack.sh"
image="${1:-../shared/testdata/text/scenetext06_priory_galleries.jpg}"
n="${BENCH_JOBS:-100}"
rounds="${BENCH_ROUNDS:-2}"
setups="${BENCH_SETUPS:-share adaptive none}"
quota=5
workers=4

echo "machine: $(nproc) cores; engine quota $quota calls/s (burst $quota); $workers workers; $n jobs per set-up and round"
start_cloud
export BENCH_FEATURE="${BENCH_FEATURE:-IMAGE_PROPERTIES}"
start_engine -Drekognition.quota.calls-per-second=$quota \
  -Dquarkus.log.category.\"io.imagerec.rekognition.api.CallQuota\".level=DEBUG
key=$(upload_image "$image")
decisions="$work/engine.log"

options() {
  case "$1" in
    share) echo "-Dworker.rekognition.calls-per-second=$(awk -v q=$quota -v w=$workers 'BEGIN { print q / w }')" ;;
    adaptive) echo "-Dworker.rekognition.retry-mode=adaptive" ;;
    none) echo "" ;;
  esac
}

# Per second of the quota decisions after line $1 of the engine's log: arrivals and admitted calls.
per_second() {
  tail -n +$(($1 + 1)) "$decisions" | grep -a 'quota: ' | awk -v q=$quota '
    { split($1, h, ":"); s = h[1] * 3600 + h[2] * 60 + h[3]; arrived[s]++
      if ($0 ~ /admitted/) admitted[s]++; else refused++
      if (first == "" || s < first) first = s; if (s > last) last = s }
    END {
      for (s = first; s <= last; s++) {
        a = arrived[s] + 0; if (a > maxa) maxa = a; if (admitted[s] > maxd) maxd = admitted[s]
        if (a > q) { over++; run++; if (run > longest) longest = run } else run = 0 }
      printf "arrivals/s max %d, seconds above %d: %d of %d, longest run above: %d s; admitted/s max %d; refused %d",
        maxa, q, over + 0, last - first + 1, longest + 0, maxd, refused + 0 }'
}

for r in $(seq 1 "$rounds"); do
  for setup in $setups; do
    opts=$(options "$setup")
    for w in $(seq 0 $((workers - 1))); do
      WORKER_OPTS="$opts" launch_worker "$w"
    done
    await_workers
    from=$(wc -l <"$decisions")
    d=$(drain "$n" 5)
    echo "round $r, $setup: $d; $(per_second "$from")"
    throttled=0
    for port in "${worker_ports[@]}"; do
      t=$(curl -sf "http://localhost:$port/q/metrics" | awk '/^worker_rekognition_throttled_total/ { s += $2 } END { print s + 0 }')
      throttled=$((throttled + ${t%.*}))
    done
    echo "round $r, $setup: throttles seen by the workers: $throttled"
    stop_workers
    sleep 3
  done
done
