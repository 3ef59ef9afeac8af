#!/usr/bin/env bash
# Face collections on the PostgreSQL store (rekognition.collections.store=postgresql) at 100,000 faces:
# what a replica pays to load a collection, the freshness check before every read (nothing changed, and
# after a face indexed by another replica), the in-memory scan, and SearchFaces / SearchFacesByImage
# through the engine's API (p50/p90, concurrency 1). Starts its own local-cloud (PostgreSQL) and engine
# from the built jars on ports of their own, and stops them after.
#   ./mvnw -pl local-cloud,rekognition-local package -DskipTests && ./mvnw -pl rekognition-local test-compile &&
#   benchmarks/bench-collections-pg.sh [FACES] [TESTDATA_DIR]
# Then the same SearchFaces against the file store (a collection of as many faces written by
# SyntheticCollection), in the same minutes, for a comparison that the machine's load does not skew.
# (SigV4 verification is off in the engine, as in bench-engine.sh: the raw HTTP client does not sign.)
set -euo pipefail
cd "$(dirname "$0")/.."
faces="${1:-100000}"
testdata="${2:-../shared/testdata}"
port="${BENCH_PORT:-18685}"
pg_port="${BENCH_PG_PORT:-18632}"
requests="${BENCH_REQUESTS:-200}"
engine_jar=rekognition-local/target/quarkus-app/quarkus-run.jar
cloud_jar=local-cloud/target/local-cloud-0.1.0-SNAPSHOT-runner.jar
for jar in "$engine_jar" "$cloud_jar"; do
  [ -f "$jar" ] || { echo "build first: ./mvnw -pl local-cloud,rekognition-local package -DskipTests" >&2; exit 1; }
done
[ -d rekognition-local/target/test-classes ] || { echo "compile the tests first: ./mvnw -pl rekognition-local test-compile" >&2; exit 1; }
[ -f "$testdata/faces/obama.jpg" ] || { echo "no sample faces at $testdata" >&2; exit 1; }

work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

# local-cloud with PostgreSQL only in use (its SQS and S3 on ports of their own, unused here).
LOCAL_CLOUD_DATA_DIR="$work/cloud" LOCAL_CLOUD_POSTGRES_PORT="$pg_port" LOCAL_CLOUD_SQS_PORT=$((pg_port + 1)) \
  LOCAL_CLOUD_S3_PORT=$((pg_port + 2)) java -jar "$cloud_jar" >"$work/cloud.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do [ -f "$work/cloud/local-cloud.ready" ] && break; sleep 0.5; done
[ -f "$work/cloud/local-cloud.ready" ] || { cat "$work/cloud.log"; exit 1; }
url="jdbc:postgresql://localhost:$pg_port/recognition"
# the engine's own role (schema rekognition only), as run.sh starts it
password=$(cat "$work/cloud/engine/rekognition-password")

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
java -cp "rekognition-local/target/classes:rekognition-local/target/test-classes:rekognition-local/target/quarkus-app/lib/main/*:rekognition-local/target/quarkus-app/lib/boot/*" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  io.imagerec.rekognition.collections.PostgresCollectionBench "$url" rekognition "$password" bench "$faces"

REKOGNITION_MODELS_DIR="$PWD/rekognition-local/models/node_modules" REKOGNITION_COLLECTIONS_STORE=postgresql \
  DATABASE_URL="$url" DATABASE_USER=rekognition DATABASE_PASSWORD="$password" \
  java -Dquarkus.http.port="$port" -Dquarkus.management.port=$((port + 1)) -Drekognition.auth.enabled=false \
  ${ENGINE_OPTS:-} -jar "$engine_jar" >"$work/engine.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do curl -sf "http://localhost:$port/q/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "http://localhost:$port/q/health/ready" >/dev/null || { cat "$work/engine.log"; exit 1; }

# A real face in the collection, so the searches find a true match among the synthetic ones. This call
# is the engine's first use of the collection: it loads it (see its log line below).
printf '{"CollectionId":"bench","ExternalImageId":"obama","Image":{"Bytes":"%s"}}' \
  "$(base64 -w0 "$testdata/faces/obama.jpg")" >"$work/index-request.json"
face_id=$(curl -sf "http://localhost:$port/" -H 'Content-Type: application/x-amz-json-1.1' \
  -H 'X-Amz-Target: RekognitionService.IndexFaces' -d @"$work/index-request.json" \
  | grep -o '"FaceId":"[^"]*"' | head -1 | cut -d'"' -f4)
grep -o 'Loaded face collection.*' "$work/engine.log" | sed 's/^/engine: /'
BENCH_COLLECTION=bench BENCH_FACE_ID="$face_id" \
  java benchmarks/RekognitionBench.java SearchFaces "http://localhost:$port/" "$requests" 1 "$testdata/faces/obama2.jpg" \
  | sed "s/^/engine, collection of $faces faces: /"
BENCH_COLLECTION=bench \
  java benchmarks/RekognitionBench.java SearchFacesByImage "http://localhost:$port/" "$requests" 1 "$testdata/faces/obama2.jpg" \
  | sed "s/^/engine, collection of $faces faces: /"

# The file store, same collection size, same client: what the freshness check adds is the difference.
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
java -cp rekognition-local/target/classes:rekognition-local/target/test-classes \
  io.imagerec.rekognition.collections.SyntheticCollection "$work/files" bench "$faces" >/dev/null
REKOGNITION_MODELS_DIR="$PWD/rekognition-local/models/node_modules" REKOGNITION_COLLECTIONS_STORE=file \
  REKOGNITION_COLLECTIONS_DIR="$work/files" \
  java -Dquarkus.http.port="$port" -Dquarkus.management.port=$((port + 1)) -Drekognition.auth.enabled=false \
  ${ENGINE_OPTS:-} -jar "$engine_jar" >"$work/engine-file.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do curl -sf "http://localhost:$port/q/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "http://localhost:$port/q/health/ready" >/dev/null || { cat "$work/engine-file.log"; exit 1; }
face_id=$(curl -sf "http://localhost:$port/" -H 'Content-Type: application/x-amz-json-1.1' \
  -H 'X-Amz-Target: RekognitionService.IndexFaces' -d @"$work/index-request.json" \
  | grep -o '"FaceId":"[^"]*"' | head -1 | cut -d'"' -f4)
BENCH_COLLECTION=bench BENCH_FACE_ID="$face_id" \
  java benchmarks/RekognitionBench.java SearchFaces "http://localhost:$port/" "$requests" 1 "$testdata/faces/obama2.jpg" \
  | sed "s/^/file store engine, collection of $faces faces: /"
