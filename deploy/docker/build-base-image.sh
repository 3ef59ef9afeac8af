#!/usr/bin/env bash
# Builds the services' base image from Debian packages, without any image registry:
#   1. debootstrap --variant=minbase bookworm into a temporary directory,
#   2. docker import of that tree                      -> imagerec/debian:bookworm
#   3. a Dockerfile FROM it that installs the JRE -> imagerec/jre:17
# Needs root (debootstrap), debootstrap, docker and Debian's mirror (packages only; no registry).
#
#   deploy/docker/build-base-image.sh            build what is missing
#   deploy/docker/build-base-image.sh --force    build both images again
#
# Settings (environment): DEBIAN_MIRROR (http://deb.debian.org/debian), DEBIAN_SUITE (bookworm),
# BASE_DEBIAN_IMAGE (imagerec/debian:bookworm), BASE_IMAGE (imagerec/jre:17).
set -euo pipefail
cd "$(dirname "$0")"

mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
suite="${DEBIAN_SUITE:-bookworm}"
debian_image="${BASE_DEBIAN_IMAGE:-imagerec/debian:$suite}"
jre_image="${BASE_IMAGE:-imagerec/jre:17}"
force=false
[ "${1:-}" = "--force" ] && force=true

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

if ! $force && have_image "$jre_image"; then
  echo "build-base-image: $jre_image is already there (--force builds it again)"
  exit 0
fi

start=$SECONDS
if $force || ! have_image "$debian_image"; then
  [ "$(id -u)" = 0 ] || { echo "build-base-image: debootstrap needs root" >&2; exit 1; }
  command -v debootstrap >/dev/null || { echo "build-base-image: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
  rootfs=$(mktemp -d /tmp/imagerec-rootfs.XXXXXX)
  trap 'rm -rf "$rootfs"' EXIT
  echo "build-base-image: debootstrap --variant=minbase $suite from $mirror ..."
  debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$rootfs.log" 2>&1 \
    || { tail -n 30 "$rootfs.log" >&2; exit 1; }
  rm -f "$rootfs.log"
  # Smaller image: no package lists or caches (apt-get update in the next step fetches the lists again).
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
  # The mirror the JRE image installs from (debootstrap wrote the main suite only).
  printf 'deb %s %s main\ndeb %s %s-updates main\n' "$mirror" "$suite" "$mirror" "$suite" >"$rootfs/etc/apt/sources.list"
  tar -C "$rootfs" -c . | docker import \
    -c 'ENV LANG=C.UTF-8' -c 'CMD ["/bin/bash"]' - "$debian_image" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
  echo "build-base-image: $debian_image imported ($((SECONDS - start)) s)"
fi

docker build -q -t "$jre_image" --build-arg "DEBIAN_IMAGE=$debian_image" -f Dockerfile.jre . >/dev/null
echo "build-base-image: $jre_image built ($((SECONDS - start)) s in all)"
docker image ls --format '  {{.Repository}}:{{.Tag}} {{.Size}}' | grep -E "^  ($debian_image|$jre_image) " || true
