#!/usr/bin/env bash
# rekognition-local latency (p50/p90/p99), throughput at concurrency 1 and 2, and the engine's peak RSS,
# for DetectLabels (default), DetectText, DetectFaces (Attributes ALL), CompareFaces, DetectModerationLabels or SearchFacesByImage
# (against collections of 10,000 and 100,000 faces written for the run). Starts its own engine from the
# built jar and stops it after.
#   ./mvnw -pl rekognition-local package -DskipTests && ./mvnw -pl rekognition-local test-compile &&
#   benchmarks/bench-engine.sh [DetectLabels|DetectText|DetectFaces|CompareFaces|DetectModerationLabels|SearchFacesByImage] [TESTDATA_DIR]
# (The engine runs with SigV4 verification off here: the benchmark's raw HTTP client does not sign, and
# what is measured is the analysis, not the signature check.)
set -euo pipefail
cd "$(dirname "$0")/.."
operation="${1:-DetectLabels}"
testdata="${2:-../shared/testdata}"
port="${BENCH_PORT:-18585}"
requests="${BENCH_REQUESTS:-200}"
jar="${BENCH_JAR:-rekognition-local/target/quarkus-app/quarkus-run.jar}"
[ -f "$jar" ] || { echo "build the engine first: ./mvnw -pl rekognition-local package -DskipTests" >&2; exit 1; }
[ -d "$testdata/objects" ] || { echo "no sample images at $testdata" >&2; exit 1; }

log=$(mktemp)
collections=$(mktemp -d)
if [ "$operation" = SearchFacesByImage ]; then
  for size in 10000 100000; do
    java -cp rekognition-local/target/classes:rekognition-local/target/test-classes \
      io.imagerec.rekognition.collections.SyntheticCollection "$collections" "bench-$size" "$size"
  done
fi
REKOGNITION_MODELS_DIR="$PWD/rekognition-local/models/node_modules" REKOGNITION_COLLECTIONS_DIR="$collections" \
  java -Dquarkus.http.port="$port" -Dquarkus.management.port=$((port + 1)) -Drekognition.auth.enabled=false \
  ${ENGINE_OPTS:-} -jar "$jar" >"$log" 2>&1 &
engine=$!
trap 'kill $engine 2>/dev/null || true; rm -rf "$log" "$collections"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://localhost:$port/q/health/ready" >/dev/null && break
  sleep 0.5
done
curl -sf "http://localhost:$port/q/health/ready" >/dev/null || { cat "$log"; exit 1; }

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
rss_mb() { awk -v f="$1" '$1==f":" {printf "%.0f", $2/1024}' "/proc/$engine/status"; }
echo "engine RSS after start-up: $(rss_mb VmRSS) MB"

case "$operation" in
  DetectLabels)
    # One 640x480 JPEG (the latency target's size), then every sample photo.
    workloads=("$testdata/text/scenetext06_priory_galleries.jpg"
               "$(find "$testdata/objects" "$testdata/faces" -name '*.jpg' | sort | tr '\n' ' ')") ;;
  DetectText)
    # A 1024x800 page of printed text, then a 1280x960 photo of a sign with a few words.
    workloads=("$testdata/text/eurotext.png" "$testdata/text/scenetext05_no_parking.jpg") ;;
  DetectFaces)
    # Photos with 1, 2 and 3 faces (the latency target's case), then the 6-face group photo.
    workloads=("$testdata/faces/obama.jpg $testdata/faces/two_people.jpg $testdata/faces/three_people_2008_001322.jpg"
               "$testdata/faces/group_2008_002470.jpg") ;;
  CompareFaces)
    # Each against the next: one face against one, and one against two.
    workloads=("$testdata/faces/obama.jpg $testdata/faces/obama2.jpg $testdata/faces/biden_portrait.jpg $testdata/faces/two_people.jpg") ;;
  DetectModerationLabels)
    # One 640x480 JPEG, then every sample photo and the painting (the classifier sees each at 299x299).
    workloads=("$testdata/text/scenetext06_priory_galleries.jpg"
               "$(find "$testdata/objects" "$testdata/faces" -name '*.jpg' | sort | tr '\n' ' ')") ;;
  SearchFacesByImage)
    workloads=("$testdata/faces/obama2.jpg $testdata/faces/biden_standing.jpg") ;;
  *) echo "unknown operation $operation" >&2; exit 2 ;;
esac
if [ "$operation" = SearchFacesByImage ]; then
  # A real face in each collection, so the searches find a true match among the synthetic ones.
  for size in 10000 100000; do
    printf '{"CollectionId":"bench-%s","ExternalImageId":"obama","Image":{"Bytes":"%s"}}' \
      "$size" "$(base64 -w0 "$testdata/faces/obama.jpg")" >"$collections/index-request.json"
    curl -sf "http://localhost:$port/" -H 'Content-Type: application/x-amz-json-1.1' \
      -H 'X-Amz-Target: RekognitionService.IndexFaces' -d @"$collections/index-request.json" \
      | grep -o '"FaceId":"[^"]*"' | head -1 | cut -d'"' -f4 >"$collections/face-id-$size"
  done
  for size in 10000 100000; do
    for c in 1 2; do
      # shellcheck disable=SC2086
      BENCH_COLLECTION="bench-$size" java benchmarks/RekognitionBench.java "$operation" "http://localhost:$port/" \
        "$requests" "$c" ${workloads[0]} | sed "s/^/collection of $size faces: /"
    done
    # SearchFaces by FaceId: no image to analyse, so this is the search itself plus the HTTP round trip.
    BENCH_COLLECTION="bench-$size" BENCH_FACE_ID="$(cat "$collections/face-id-$size")" \
      java benchmarks/RekognitionBench.java SearchFaces "http://localhost:$port/" "$requests" 1 ${workloads[0]} \
      | sed "s/^/collection of $size faces: /"
  done
  workloads=()
fi
# BENCH_WORKLOADS=1 runs only the first workload (the latency target's image).
for images in "${workloads[@]:0:${BENCH_WORKLOADS:-${#workloads[@]}}}"; do
  for c in 1 2; do
    # shellcheck disable=SC2086 # a workload is a space-separated list of files
    java benchmarks/RekognitionBench.java "$operation" "http://localhost:$port/" "$requests" "$c" $images
  done
done
echo "engine peak RSS (VmHWM): $(rss_mb VmHWM) MB, RSS now: $(rss_mb VmRSS) MB"
# Where the time goes, from the engine's own metrics over every call above (warm-up included).
curl -sf "http://localhost:$((port + 1))/q/metrics" | awk -v op="$operation" '
  /^rekognition_model_inference_seconds_(sum|count)/ {
    match($0, /model="[^"]*"/); m = substr($0, RSTART + 7, RLENGTH - 8)
    if ($0 ~ /_sum/) msum[m] = $2; else mcount[m] = $2 }
  $0 ~ "^rekognition_requests_seconds_sum.*" op ".*success" { rs = $2 }
  $0 ~ "^rekognition_requests_seconds_count.*" op ".*success" { rc = $2 }
  END {
    if (rc > 0) printf "engine means: %s request %.1f ms (%d calls)\n", op, 1000 * rs / rc, rc
    for (m in mcount) if (mcount[m] > 0) printf "  model %s: %.1f ms per forward pass (%d passes)\n", m, 1000 * msum[m] / mcount[m], mcount[m] }'
