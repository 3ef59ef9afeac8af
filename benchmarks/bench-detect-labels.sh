#!/usr/bin/env bash
# DetectLabels latency (p50/p90/p99), throughput at concurrency 1 and 2, and the engine's peak RSS.
# Starts its own engine from the built jar on a free port and stops it afterwards.
#   ./mvnw -pl rekognition-local package -DskipTests && benchmarks/bench-detect-labels.sh [TESTDATA_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
testdata="${1:-../shared/testdata}"
port="${BENCH_PORT:-18585}"
requests="${BENCH_REQUESTS:-200}"
jar=rekognition-local/target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || { echo "build the engine first: ./mvnw -pl rekognition-local package -DskipTests" >&2; exit 1; }
[ -d "$testdata/objects" ] || { echo "no sample images at $testdata" >&2; exit 1; }

log=$(mktemp)
REKOGNITION_MODELS_DIR="$PWD/rekognition-local/models/node_modules" \
  java -Dquarkus.http.port="$port" ${ENGINE_OPTS:-} -jar "$jar" >"$log" 2>&1 &
engine=$!
trap 'kill $engine 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://localhost:$port/q/health/ready" >/dev/null && break
  sleep 0.5
done
curl -sf "http://localhost:$port/q/health/ready" >/dev/null || { cat "$log"; exit 1; }

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
rss_mb() { awk -v f="$1" '$1==f":" {printf "%.0f", $2/1024}' "/proc/$engine/status"; }
echo "engine RSS after start-up: $(rss_mb VmRSS) MB"

# One 640x480 JPEG (the issue's latency target), then every sample photo.
single="$testdata/text/scenetext06_priory_galleries.jpg"
mapfile -t all < <(find "$testdata/objects" "$testdata/faces" -name '*.jpg' | sort)
for c in 1 2; do
  java benchmarks/RekognitionBench.java DetectLabels "http://localhost:$port/" "$requests" "$c" "$single"
done
for c in 1 2; do
  java benchmarks/RekognitionBench.java DetectLabels "http://localhost:$port/" "$requests" "$c" "${all[@]}"
done
echo "engine peak RSS (VmHWM): $(rss_mb VmHWM) MB, RSS now: $(rss_mb VmRSS) MB"
# Where the time goes, from the engine's own metrics over every call above (warm-up included).
curl -sf "http://localhost:$port/q/metrics" | awk '
  /^rekognition_model_inference_seconds_sum/ { ms = $2 }
  /^rekognition_model_inference_seconds_count/ { mc = $2 }
  /^rekognition_requests_seconds_sum.*DetectLabels.*success/ { rs = $2 }
  /^rekognition_requests_seconds_count.*DetectLabels.*success/ { rc = $2 }
  END { if (mc > 0 && rc > 0) printf "engine means: request %.1f ms, of which the model forward pass %.1f ms (%d calls)\n", 1000 * rs / rc, 1000 * ms / mc, rc }'
