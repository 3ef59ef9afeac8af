#!/usr/bin/env bash
# The container path, end to end: builds the images, starts docker-compose.yml, uploads a photo through
# ingest with the operator key, waits for results-service to answer SUCCEEDED with the expected label,
# and always takes the stack down again (with its volumes). Prints how long each step took.
#
#   deploy/docker/compose-test.sh              ./mvnw package the five services first
#   deploy/docker/compose-test.sh --no-maven   use the jars already built (.ci/run, after ./mvnw verify)
#
# Needs Docker with a running daemon, docker-compose (or `docker compose`) and, for the registry-free
# base image, debootstrap: as root it installs docker.io, docker-compose and debootstrap with apt-get
# when they are missing and starts dockerd when no daemon answers; as another user it stops with a message.
# IMAGEREC_TESTDATA: the sample photos (default ../shared/testdata beside the clone); without them a
# generated picture is uploaded and only SUCCEEDED is checked.
# The published ports are run.sh's (8080-8086, 9000, 9324, 15432): they must be free.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
project=imagerec-compose-test
maven_arg=()
[ "${1:-}" = "--no-maven" ] && maven_arg=(--no-maven)

t_start=$SECONDS
timings=()
step_start=$SECONDS
step() { # records how long the step that just ended took
  timings+=("$(printf '%-34s %4d s' "$1" $((SECONDS - step_start)))")
  step_start=$SECONDS
}
say() { echo "compose-test: $*"; }
fail() { echo "compose-test: FAILED: $*" >&2; exit 1; }

# 1. Docker, Compose, debootstrap
need=()
# A docker client alone is not enough (some machines ship only the client): without a daemon that
# answers and without dockerd to start one, install Debian's docker.io.
if ! docker info >/dev/null 2>&1 && ! command -v dockerd >/dev/null 2>&1; then need+=(docker.io); fi
command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || need+=(docker-compose)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if [ "${#need[@]}" -gt 0 ]; then
  [ "$(id -u)" = 0 ] || fail "${need[*]} missing; install them (as root: apt-get install -y ${need[*]}) or run this as root"
  say "installing ${need[*]} ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q "${need[@]}" >/dev/null
fi
if ! docker info >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || fail "no Docker daemon answers, and only root may start one here (start dockerd, or join the docker group)"
  say "starting dockerd (log: /tmp/dockerd.log) ..."
  setsid dockerd >/tmp/dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { tail -n 20 /tmp/dockerd.log >&2; fail "dockerd did not start"; }
fi
if command -v docker-compose >/dev/null 2>&1; then compose=(docker-compose); else compose=(docker compose); fi
compose+=(-p "$project" -f "$root/docker-compose.yml")
step "docker ready"

# 2. Images: the base (skipped when there), then the five services on it
deploy/docker/build-base-image.sh
step "base image"
# A failed build fails the test (pipefail); only grep's "nothing left to print" is forgiven.
BASE_IMAGE=imagerec/jre:17 deploy/docker/build-images.sh "${maven_arg[@]}" 2>&1 \
  | { grep -v -e DEPRECATED -e 'legacy builder' -e 'buildx' -e '^ *$' || true; }
for m in local-cloud rekognition-local results-service recognition-worker ingest-service; do
  docker image inspect "imagerec/$m:latest" >/dev/null 2>&1 || fail "image imagerec/$m:latest was not built"
done
step "service images"

# 3. The stack
for port in 8080 8081 8082 8083 8084 8085 8086 9000 9324 15432; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "port $port is already in use on this host (./run.sh, another stack or a test run?); free it and run again"
  fi
done
# The operator key for this run only: random, in the environment, never in a file.
BOOTSTRAP_API_KEY=$(head -c 30 /dev/urandom | base64 | tr -d '/+=\n')
export BOOTSTRAP_API_KEY
generated=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  rm -rf "${generated[@]}"
  if [ "$rc" != 0 ]; then
    echo "compose-test: the services' last log lines:" >&2
    "${compose[@]}" logs --no-color --tail 40 >&2 2>&1 || true
  fi
  local t0=$SECONDS
  "${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
  say "stack removed with its volumes ($((SECONDS - t0)) s)"
  exit "$rc"
}
trap cleanup EXIT INT TERM
"${compose[@]}" up -d 2>&1 | grep -v '^$' || true
services=(local-cloud rekognition-local results-service recognition-worker ingest-service)
deadline=$((SECONDS + 300))
while :; do
  healthy=0
  for s in "${services[@]}"; do
    id=$("${compose[@]}" ps -q "$s" 2>/dev/null || true)
    [ -n "$id" ] || fail "$s has no container"
    state=$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id")
    case $state in
      "running healthy") healthy=$((healthy + 1)) ;;
      exited* | dead* | *unhealthy) fail "$s is $state" ;;
    esac
  done
  [ "$healthy" = "${#services[@]}" ] && break
  [ "$SECONDS" -lt "$deadline" ] || fail "not every service was healthy within 300 s"
  sleep 1
done
step "compose up until all healthy"

# 4. A photo through ingest, its job through the worker and the engine, its result from results-service
testdata="${IMAGEREC_TESTDATA:-../shared/testdata}"
photo="$testdata/objects/dog.jpg"
expect=""
if [ -f "$photo" ]; then
  # manifest.json beside the samples lists what each one shows; dog.jpg: Dog, Bicycle, Truck.
  expect=Dog
  if [ -f "$testdata/manifest.json" ] && ! grep -q '"Dog"' "$testdata/manifest.json"; then
    fail "$testdata/manifest.json no longer lists Dog"
  fi
  type=image/jpeg
else
  # No sample photos beside the clone: a picture made here, without the network. Its labels are not known
  # in advance, so only SUCCEEDED is required.
  gen=$(mktemp -d /tmp/imagerec-compose-test.XXXXXX)
  generated+=("$gen")
  photo="$gen/picture.png"
  cat >"$gen/MakePicture.java" <<'JAVA'
import java.awt.*;
import java.awt.image.BufferedImage;
import java.io.File;
public class MakePicture {
    public static void main(String[] args) throws Exception {
        BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(90, 150, 220)); g.fillRect(0, 0, 320, 240);
        g.setColor(new Color(60, 160, 60)); g.fillRect(0, 160, 320, 80);
        g.setColor(Color.YELLOW); g.fillOval(240, 20, 50, 50);
        g.dispose();
        javax.imageio.ImageIO.write(image, "png", new File(args[0]));
    }
}
JAVA
  java "$gen/MakePicture.java" "$photo"
  type=image/png
  say "no $testdata/objects/dog.jpg: uploading a generated picture; the label check is SKIPPED, SUCCEEDED is still required"
fi
key_header() { printf 'X-Api-Key: %s\n' "$BOOTSTRAP_API_KEY"; } # through a file descriptor, not argv (ps)
answer=$(curl -sS -H @<(key_header) -H "Content-Type: $type" --data-binary "@$photo" http://localhost:8080/v1/images)
job=$(printf '%s' "$answer" | sed -n 's/.*"jobId":"\([^"]*\)".*/\1/p')
[ -n "$job" ] || fail "the upload was not accepted: $answer"
say "uploaded $(basename "$photo"): job $job"
deadline=$((SECONDS + 120))
while :; do
  result=$(curl -sS -H @<(key_header) "http://localhost:8081/v1/jobs/$job")
  status=$(printf '%s' "$result" | grep -o '"status":"[A-Z]*"' | head -1 | cut -d'"' -f4 || true)
  case $status in
    SUCCEEDED) break ;;
    FAILED) fail "job $job FAILED: $result" ;;
  esac
  [ "$SECONDS" -lt "$deadline" ] || fail "job $job still $status after 120 s"
  sleep 0.5
done
labels=$(printf '%s' "$result" | { grep -o '"Name":"[^"]*","Aliases"' || true; } | cut -d'"' -f4 | paste -sd, -)
say "job $job SUCCEEDED; labels: $labels"
if [ -n "$expect" ]; then
  printf '%s' "$result" | grep -q "\"Name\":\"$expect\"" || fail "label $expect is not in the result: $result"
  say "label $expect found"
fi
step "upload to SUCCEEDED"

trap - EXIT INT TERM
rm -rf "${generated[@]}"
t0=$SECONDS
"${compose[@]}" down -v --remove-orphans >/dev/null 2>&1
step_start=$t0
step "compose down -v"

echo "compose-test: PASSED. Timings:"
printf '  %s\n' "${timings[@]}"
printf '  %-34s %4d s\n' "total" $((SECONDS - t_start))
