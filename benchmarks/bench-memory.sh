#!/usr/bin/env bash
# rekognition-local's resident memory under a long mixed load: starts the engine jar (every model loaded),
# sends BENCH_REQUESTS (default 10,000) SigV4-signed requests (curl --aws-sigv4) from BENCH_CLIENTS
# (default 4) parallel clients, cycling through every image operation on the sample photos and hostile
# inputs (a legal 10,000 x 10,000 JPEG, a PNG decompression bomb, a header claiming 50,000 x 50,000, a
# truncated JPEG, a non-image), and prints VmRSS and VmHWM every BENCH_SAMPLE seconds (with the requests
# answered and the rate since the previous line), then the peak, the statuses per request kind, and the
# engine's own mean times per operation and per model pass (its /q/metrics), to compare settings' speed.
#   ./mvnw -pl rekognition-local package -DskipTests && benchmarks/bench-memory.sh [TESTDATA_DIR]
# ENGINE_OPTS (JVM options and -D settings) and ENGINE_ENV (environment, e.g. "MALLOC_ARENA_MAX=4")
# are added to the engine's command line, so settings can be compared: ENGINE_ENV= ENGINE_OPTS= gives
# the bare JVM defaults; run.sh's memory settings are the default here (see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
testdata="${1:-../shared/testdata}"
port="${BENCH_PORT:-18785}"
requests="${BENCH_REQUESTS:-10000}"
clients="${BENCH_CLIENTS:-4}"
sample="${BENCH_SAMPLE:-10}"
jar="${BENCH_JAR:-rekognition-local/target/quarkus-app/quarkus-run.jar}"
[ -f "$jar" ] || { echo "build the engine first: ./mvnw -pl rekognition-local package -DskipTests" >&2; exit 1; }
[ -d "$testdata/objects" ] || { echo "no sample images at $testdata" >&2; exit 1; }
# shellcheck source=/dev/null
. rekognition-local/engine-memory.env
engine_env="${ENGINE_ENV-MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX}"
engine_opts="${ENGINE_OPTS-$ENGINE_JAVA_MEMORY_OPTS}"

work=$(mktemp -d)
engine=
sampler=
trap '[ -n "$sampler" ] && kill $sampler 2>/dev/null; [ -n "$engine" ] && kill $engine 2>/dev/null; rm -rf "$work"' EXIT
java -Xmx2g benchmarks/HostileImages.java "$work" >/dev/null
head -c 30000 "$testdata/objects/zidane.jpg" >"$work/truncated.jpg"

image() { printf '{"Bytes":"%s"}' "$(base64 -w0 "$1")"; }
body() { # name, operation, json
  printf '%s\n' "$2" >"$work/$1.op"
  printf '%s' "$3" >"$work/$1.json"
}
i=0
for f in "$testdata"/objects/*.jpg "$testdata"/faces/*.jpg; do
  body "labels-$i" DetectLabels "{\"Image\":$(image "$f")}"
  body "faces-$i" DetectFaces "{\"Image\":$(image "$f"),\"Attributes\":[\"ALL\"]}"
  body "moderation-$i" DetectModerationLabels "{\"Image\":$(image "$f")}"
  i=$((i + 1))
done
i=0
for f in "$testdata"/text/*; do
  body "text-$i" DetectText "{\"Image\":$(image "$f")}"
  i=$((i + 1))
done
body compare CompareFaces "{\"SourceImage\":$(image "$testdata/faces/obama.jpg"),\"TargetImage\":$(image "$testdata/faces/obama_and_biden.jpg")}"
body list ListCollections '{}'
body huge-labels DetectLabels "{\"Image\":$(image "$work/huge.jpg")}"
body huge-text DetectText "{\"Image\":$(image "$work/huge.jpg")}"
body bomb-faces DetectFaces "{\"Image\":$(image "$work/bomb.png")}"
body bomb-moderation DetectModerationLabels "{\"Image\":$(image "$work/bomb.png")}"
body oversized DetectLabels "{\"Image\":$(image "$work/oversized.png")}"
body truncated DetectLabels "{\"Image\":$(image "$work/truncated.jpg")}"
body not-an-image DetectText "{\"Image\":$(image "$testdata/bad/not_an_image.jpg")}"
ls "$work"/*.json | sed 's/\.json$//' >"$work/kinds"
echo "request kinds: $(wc -l <"$work/kinds") ($(grep -c -e huge -e bomb -e oversized -e truncated -e not-an "$work/kinds") hostile)"

# shellcheck disable=SC2086 # the options and environment are several words
env REKOGNITION_MODELS_DIR="$PWD/rekognition-local/models/node_modules" REKOGNITION_COLLECTIONS_DIR="$work/collections" \
  REKOGNITION_AUTH_CREDENTIALS=bench:bench-secret $engine_env \
  java -Dquarkus.http.port="$port" -Dquarkus.management.port=$((port + 1)) $engine_opts -jar "$jar" >"$work/engine.log" 2>&1 &
engine=$!
for _ in $(seq 1 240); do curl -sf "http://localhost:$port/q/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "http://localhost:$port/q/health/ready" >/dev/null || { cat "$work/engine.log"; exit 1; }
mb() { awk -v f="$1" '$1==f":" {printf "%.0f", $2/1024}' "/proc/$engine/status"; }
echo "engine pid: $engine (jcmd $engine VM.native_memory summary, with -XX:NativeMemoryTracking=summary in ENGINE_OPTS)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); engine env: ${engine_env:-none}; options: ${engine_opts:-none}"
echo "after start-up: VmRSS $(mb VmRSS) MB; peak so far (VmHWM) $(mb VmHWM) MB"
: >"$work/done"
(
  start=$SECONDS
  last=0
  while sleep "$sample"; do
    n=$(wc -l <"$work/done")
    echo "$(date -u +%H:%M:%S) t=$((SECONDS - start))s requests=$n ($(awk -v d=$((n - last)) -v s="$sample" \
      'BEGIN {printf "%.2f", d / s}')/s) VmRSS=$(mb VmRSS) MB VmHWM=$(mb VmHWM) MB load=$(cut -d' ' -f1 /proc/loadavg)"
    last=$n
  done
) &
sampler=$!

export port work
seq 0 $((requests - 1)) | xargs -P "$clients" -n 20 bash -c '
  kinds=$(wc -l <"$work/kinds")
  for n; do
    kind=$(sed -n "$((n % kinds + 1))p" "$work/kinds")
    status=$(curl -s -o /dev/null -w "%{http_code}" --max-time 300 --aws-sigv4 "aws:amz:us-east-1:rekognition" \
      -u bench:bench-secret -H "X-Amz-Target: RekognitionService.$(cat "$kind.op")" \
      -H "Content-Type: application/x-amz-json-1.1" --data-binary @"$kind.json" "http://localhost:$port/") || status=000
    echo "$(basename "$kind") $status" >>"$work/done"
  done' _
kill $sampler 2>/dev/null || true
sampler=
echo "done: $(wc -l <"$work/done") requests; statuses: $(awk '{print $2}' "$work/done" | sort | uniq -c | tr -s ' ' | tr '\n' ',')"
echo "statuses per kind (all other kinds answered 200 every time):"
awk '{n[$1]++; if ($2 != 200) bad[$1] = bad[$1] " " $2} END {for (k in bad) print "  " k ":" bad[k]}' "$work/done" \
  | awk '{k = $1; $1 = ""; split($0, a, " "); delete c; for (i in a) c[a[i]]++; printf "  %s", k; for (v in c) printf " %s x%d", v, c[v]; print ""}' | sort
# The engine's own figures: mean time per operation (answered requests) and per model pass.
curl -s "http://localhost:$((port + 1))/q/metrics" | awk '
  /^rekognition_requests_seconds_(count|sum)\{/ || /^rekognition_model_inference_seconds_(count|sum)\{/ {
    key = $1; sub(/^rekognition_(requests|model_inference)_seconds_(count|sum)/, "", key)
    if ($1 ~ /_count\{/) c[key] = $2; else s[key] = $2 }
  END { for (k in c) if (c[k] > 0) printf "  engine mean %s: %.0f ms over %d\n", k, 1000 * s[k] / c[k], c[k] }' | sort
echo "after the load: VmRSS $(mb VmRSS) MB; peak (VmHWM) $(mb VmHWM) MB; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "finished at $(date -u +%H:%M:%S) UTC"
