#!/usr/bin/env bash
# Builds the images of compose/docker-compose.yml with the local engine (podman, else docker):
#   debian:bookworm-slim  the base, made here with debootstrap when missing (no registry needed)
#   pgha/cluster          PostgreSQL 15, Patroni, etcd, HAProxy (Debian's packages)
#   pgha/monitoring       Prometheus, Alertmanager (Debian's packages)
#   pgha/exporter         the three pgha exporter jars on Debian's openjdk-17-jre-headless
# An image whose inputs (its build context files and its base image) have not changed since it was
# built is skipped. The exporter jars must be built first: ./mvnw -B package -DskipTests
#
# Environment: PGHA_ENGINE (podman|docker), PGHA_IMAGE_TAG (default local), PGHA_DEBIAN_MIRROR.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
tag="${PGHA_IMAGE_TAG:-local}"
base="debian:bookworm-slim"

if [ -n "${PGHA_ENGINE:-}" ]; then
  engine="$PGHA_ENGINE"
elif command -v podman >/dev/null 2>&1; then
  engine=podman
else
  engine=docker
fi

log() { echo "build-images: $*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

image_exists() { "$engine" image inspect "$1" >/dev/null 2>&1; }
image_label() { "$engine" image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true; }
image_id() { "$engine" image inspect --format '{{ .Id }}' "$1"; }

# The Debian mirror this machine's apt uses (first bookworm entry), for debootstrap.
debian_mirror() {
  if [ -n "${PGHA_DEBIAN_MIRROR:-}" ]; then echo "$PGHA_DEBIAN_MIRROR"; return; fi
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '/^URIs:/ { uri = $2 } /^Suites:/ && /(^|[ \t])bookworm([ \t]|$)/ { if (uri != "") { print uri; exit } }' "$f"
  done | head -n1 | grep . && return
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    sed -E 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }'
  done | head -n1 | grep . && return
  echo http://deb.debian.org/debian
}

# Host apt sources that name Debian bookworm suites (third-party repositories are left out).
copy_apt_sources() {
  local rootfs="$1" f
  rm -f "$rootfs/etc/apt/sources.list"
  mkdir -p "$rootfs/etc/apt/sources.list.d"
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    if grep -Eq '(^|[[:space:]])bookworm(-updates|-security)?([[:space:]]|$)' "$f"; then
      cp "$f" "$rootfs/etc/apt/${f#/etc/apt/}"
    fi
  done
  if [ -z "$(ls -A "$rootfs/etc/apt/sources.list.d")" ] && [ ! -f "$rootfs/etc/apt/sources.list" ]; then
    echo "deb $(debian_mirror) bookworm main" >"$rootfs/etc/apt/sources.list"
  fi
}

build_base() {
  if image_exists "$base"; then
    log "$base: present"
    return
  fi
  if [ "$(id -u)" -ne 0 ] || ! command -v debootstrap >/dev/null 2>&1; then
    log "$base is missing; making it needs root and debootstrap (apt-get install debootstrap)"
    exit 1
  fi
  local t0 mirror
  t0="$(now)"
  mirror="$(debian_mirror)"
  rootfs="$(mktemp -d /var/tmp/pgha-rootfs.XXXXXX)"
  trap 'rm -rf "$rootfs" "$rootfs.log"' EXIT
  log "$base: debootstrap --variant=minbase bookworm from $mirror"
  if ! debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1; then
    tail -n 30 "$rootfs.log" >&2
    rm -rf "$rootfs" "$rootfs.log"
    exit 1
  fi
  rm -f "$rootfs.log"
  copy_apt_sources "$rootfs"
  # Like Debian's own slim images: no docs, man pages or translations in the images.
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/pgha-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
CFG
  echo 'APT::Install-Recommends "false"; APT::Install-Suggests "false";' >"$rootfs/etc/apt/apt.conf.d/pgha-no-recommends"
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
  rm -f "$rootfs/etc/resolv.conf" "$rootfs/etc/hostname"
  local id
  local quiet=()
  if [ "$engine" = podman ]; then quiet=(--quiet); fi
  id="$(tar -C "$rootfs" -c . | "$engine" import "${quiet[@]}" --change 'CMD ["bash"]' - | tail -n1)"
  rm -rf "$rootfs"
  trap - EXIT
  "$engine" tag "$id" "$base"
  # podman files a short name under localhost/; Docker's spelling makes FROM resolve it locally too.
  if [ "$engine" = podman ]; then "$engine" tag "$id" "docker.io/library/$base"; fi
  log "$base: made in $(since "$t0") s"
}

# Hash of everything an image is built from: its context files (by path in the repository, so
# clones agree) and the base image.
inputs_hash() {
  local f
  { image_id "$base"; for f in "$@"; do echo "${f#"$root"/}"; sha256sum <"$f"; done; } | sha256sum | cut -c1-16
}

# build NAME DOCKERFILE CONTEXT INPUT_FILE...
build() {
  local name="$1" dockerfile="$2" context="$3"
  shift 3
  local image="pgha/$name:$tag" hash t0
  hash="$(inputs_hash "$@")"
  if image_exists "$image" && [ "$(image_label "$image" io.pgha.inputs)" = "$hash" ]; then
    log "$image: up to date"
    return
  fi
  t0="$(now)"
  log "$image: building"
  local net=()
  if [ "$engine" = podman ]; then net=(--network host); fi
  if ! "$engine" build "${net[@]}" --label "io.pgha.inputs=$hash" -t "$image" -f "$dockerfile" "$context" \
      >"/tmp/pgha-build-$name.log" 2>&1; then
    tail -n 40 "/tmp/pgha-build-$name.log" >&2
    log "$image: build failed (full log /tmp/pgha-build-$name.log)"
    exit 1
  fi
  log "$image: built in $(since "$t0") s"
}

t_all="$(now)"
build_base

mapfile -t cluster_files < <(find "$here/images/cluster" -type f | sort)
build cluster "$here/images/cluster/Dockerfile" "$here/images/cluster" "${cluster_files[@]}"

mapfile -t monitoring_files < <(find "$here/images/monitoring" -type f | sort)
build monitoring "$here/images/monitoring/Dockerfile" "$here/images/monitoring" "${monitoring_files[@]}"

jars=()
for e in patroni postgres etcd; do
  jar="$root/exporter-$e/target/pgha-exporter-$e.jar"
  if [ ! -f "$jar" ]; then
    log "$jar is missing: build the exporters first (./mvnw -B package -DskipTests)"
    exit 1
  fi
  jars+=("$jar")
done
build exporter "$here/images/exporter/Dockerfile" "$root" "$here/images/exporter/Dockerfile" "${jars[@]}"

log "all images ready in $(since "$t_all") s"
