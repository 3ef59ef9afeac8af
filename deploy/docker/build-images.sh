#!/usr/bin/env bash
# Builds the five service images from the Maven build's output:
#   imagerec/local-cloud, imagerec/rekognition-local (with its model files), imagerec/results-service,
#   imagerec/recognition-worker, imagerec/ingest-service   (each tagged :$IMAGE_TAG and :latest)
#
#   deploy/docker/build-images.sh              ./mvnw package the five modules first, then build
#   deploy/docker/build-images.sh --no-maven   use the jars already in */target (e.g. after ./mvnw verify)
#
# BASE_IMAGE: the Java 17 runtime image the services run on. Default: imagerec/jre:17 when that image is
# here (deploy/docker/build-base-image.sh builds it without any registry), else eclipse-temurin:17-jre.
# IMAGE_TAG: 0.1.0-SNAPSHOT by default.
set -euo pipefail
cd "$(dirname "$0")/../.."

modules=(local-cloud rekognition-local results-service recognition-worker ingest-service)
tag="${IMAGE_TAG:-0.1.0-SNAPSHOT}"
maven=true
[ "${1:-}" = "--no-maven" ] && maven=false

if [ -z "${BASE_IMAGE:-}" ]; then
  if docker image inspect imagerec/jre:17 >/dev/null 2>&1; then BASE_IMAGE=imagerec/jre:17; else BASE_IMAGE=eclipse-temurin:17-jre; fi
fi
start=$SECONDS

if $maven; then
  echo "build-images: ./mvnw package (${modules[*]}) ..."
  ./mvnw -B -ntp -q package -DskipTests -pl "$(IFS=,; echo "${modules[*]}")" -am
fi
for m in "${modules[@]}"; do
  case $m in
    local-cloud) ls local-cloud/target/local-cloud-*-runner.jar >/dev/null 2>&1 ;;
    *) [ -f "$m/target/quarkus-app/quarkus-run.jar" ] ;;
  esac || { echo "build-images: $m is not packaged; run without --no-maven (or ./mvnw package -DskipTests)" >&2; exit 1; }
done
[ -f rekognition-local/models/node_modules/faceplugin-face-recognition-js/package.json ] \
  || { echo "build-images: rekognition-local's model files are missing (the Maven build installs them with npm ci)" >&2; exit 1; }

for m in "${modules[@]}"; do
  t0=$SECONDS
  # The legacy builder: Debian's docker.io has no buildx; the images need nothing BuildKit adds.
  DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE_IMAGE=$BASE_IMAGE" \
    -f "$m/src/main/docker/Dockerfile.jvm" -t "imagerec/$m:$tag" -t "imagerec/$m:latest" "$m" >/dev/null 2>"/tmp/imagerec-build-$m.log" \
    || { cat "/tmp/imagerec-build-$m.log" >&2; exit 1; }
  rm -f "/tmp/imagerec-build-$m.log"
  echo "build-images: imagerec/$m:$tag on $BASE_IMAGE ($((SECONDS - t0)) s, $(docker image inspect -f '{{.Size}}' "imagerec/$m:$tag" | awk '{printf "%d MB", $1/1000000}'))"
done
echo "build-images: done in $((SECONDS - start)) s"
