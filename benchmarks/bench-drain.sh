#!/usr/bin/env bash
# Worker throughput against the engine's own: in one run, alternately, the engine alone (DetectLabels of
# the image in S3 at concurrency 2, as the worker asks for it) and the worker draining a backlog of jobs
# for the same image (sent to SQS hidden for a few seconds, so the worker meets them all at once).
# Prints each round and the median efficiency = drain images/s / engine images/s.
#   ./mvnw package -DskipTests && benchmarks/bench-drain.sh [IMAGE]
# Settings: BENCH_JOBS (200), BENCH_ROUNDS (3), WORKER_OPTS / ENGINE_OPTS (-D... for the worker / engine).
source "$(dirname "$0")/stack.sh"
image="${1:-../shared/testdata/text/scenetext06_priory_galleries.jpg}"
[ -f "$image" ] || { echo "no image $image" >&2; exit 1; }
n="${BENCH_JOBS:-200}"
rounds="${BENCH_ROUNDS:-3}"

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); image $image; $n jobs per round; worker options: ${WORKER_OPTS:-defaults}"
start_cloud
start_engine
start_worker 0
key=$(upload_image "$image")

# Warm-up of both JVMs: the engine alone, then a backlog through the worker.
java benchmarks/DrainBench.java engine "$engine/" images "$key" 40 2 >/dev/null
drain 60 3 >/dev/null

ratios=()
for r in $(seq 1 "$rounds"); do
  c0=$(cpu_ms "$engine_pid")
  e=$(java benchmarks/DrainBench.java engine "$engine/" images "$key" "$n" 2)
  c1=$(cpu_ms "$engine_pid"); w1=$(cpu_ms "${worker_pids[0]}"); l1=$(cpu_ms "$cloud_pid")
  d=$(drain "$n" 5)
  c2=$(cpu_ms "$engine_pid"); w2=$(cpu_ms "${worker_pids[0]}"); l2=$(cpu_ms "$cloud_pid")
  cpu="CPU ms per image: engine alone $(( (c1 - c0) / n )), in the drain: engine $(( (c2 - c1) / n )), worker $(( (w2 - w1) / n )), local-cloud $(( (l2 - l1) / n ))"
  ei=$(sed 's/engine images\/s: \([0-9.]*\).*/\1/' <<<"$e")
  di=$(sed 's/drain images\/s: \([0-9.]*\).*/\1/' <<<"$d")
  ratio=$(awk -v d="$di" -v e="$ei" 'BEGIN { printf "%.3f", d / e }')
  ratios+=("$ratio")
  echo "round $r: $e"
  echo "round $r: $d"
  echo "round $r: efficiency $ratio; $cpu"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "median efficiency over %d rounds: %s (all: ", NR, a[int((NR + 1) / 2)] }'
echo "${ratios[*]})"
curl -sf "http://localhost:${worker_ports[0]}/q/metrics" | grep -E '^worker_jobs_total|^worker_rekognition_throttled_total' || true
