#!/usr/bin/env bash
# DetectLabels p50 with its extra passes off and on, in one run: starts the engine jar once per setting
# (all off = the whole-image pass alone; faces and text, without tiles; tiles only; all on), one after the other, and
# runs RekognitionBench at concurrency 1 on a 640x480 JPEG and on three photos.
#   ./mvnw -pl rekognition-local package -DskipTests && benchmarks/bench-labels-passes.sh [TESTDATA_DIR]
# BENCH_REQUESTS (default 30) calls per workload after the warm-up; ROUNDS (default "1") e.g. "1 2".
set -euo pipefail
cd "$(dirname "$0")/.."
td="${1:-../shared/testdata}"
port="${BENCH_PORT:-18685}"
requests="${BENCH_REQUESTS:-30}"
jar=rekognition-local/target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || { echo "build the engine first: ./mvnw -pl rekognition-local package -DskipTests" >&2; exit 1; }
mix="$td/objects/kite.jpg $td/faces/group_2008_002470.jpg $td/objects/zidane.jpg"
declare -A opts=(
  [off]="-Drekognition.labels.tiles=false -Drekognition.labels.faces=false -Drekognition.labels.text-side=0"
  [derived]="-Drekognition.labels.tiles=false -Drekognition.labels.faces=true -Drekognition.labels.text-side=320"
  [tiles]="-Drekognition.labels.tiles=true -Drekognition.labels.faces=false -Drekognition.labels.text-side=0"
  [all]="-Drekognition.labels.tiles=true -Drekognition.labels.faces=true -Drekognition.labels.text-side=320")
log=$(mktemp)
engine=
trap '[ -n "$engine" ] && kill $engine 2>/dev/null; rm -f "$log"' EXIT
for round in ${ROUNDS:-1}; do
  for name in off derived tiles all; do
    # shellcheck disable=SC2086 # the options are several words
    REKOGNITION_MODELS_DIR="$PWD/rekognition-local/models/node_modules" \
      java -Dquarkus.http.port="$port" -Dquarkus.management.port=$((port + 1)) -Drekognition.auth.enabled=false \
      ${opts[$name]} -jar "$jar" >"$log" 2>&1 &
    engine=$!
    for _ in $(seq 1 240); do curl -sf "http://localhost:$port/q/health/ready" >/dev/null && break; sleep 0.5; done
    curl -sf "http://localhost:$port/q/health/ready" >/dev/null || { cat "$log"; exit 1; }
    echo "round $round, $name: $(java benchmarks/RekognitionBench.java DetectLabels "http://localhost:$port/" \
      "$requests" 1 "$td/text/scenetext06_priory_galleries.jpg")"
    # shellcheck disable=SC2086 # a workload is a space-separated list of files
    echo "round $round, $name: $(java benchmarks/RekognitionBench.java DetectLabels "http://localhost:$port/" \
      "$requests" 1 $mix)"
    kill "$engine"; wait "$engine" 2>/dev/null || true
    engine=
  done
done
