#!/usr/bin/env bash
# Makes a Docker-API engine answer at $DOCKER_HOST (default unix:///run/podman/podman.sock).
# When something already answers there (a Docker engine, or a podman service someone else runs),
# nothing is started. Otherwise, as root: installs Debian's podman and docker-compose when missing,
# writes the two containers.conf settings this kind of machine needs, and starts
# `podman system service` on the socket, recording its PID in $PGHA_PODMAN_PIDFILE so the caller
# stops exactly that process (never by name).
#
# Prints one line on stdout: `started <pid>` or `running` (something already answered).
set -euo pipefail

docker_host="${DOCKER_HOST:-unix:///run/podman/podman.sock}"
case "$docker_host" in
  unix://*) sock="${docker_host#unix://}" ;;
  *) echo "podman-setup: DOCKER_HOST=$docker_host is not a unix socket; nothing to set up" >&2
     echo running; exit 0 ;;
esac
pidfile="${PGHA_PODMAN_PIDFILE:-/run/pgha-podman-service.pid}"
logfile="${PGHA_PODMAN_LOG:-/tmp/pgha-podman-service.log}"

answers() {
  [ -S "$sock" ] && curl -fsS --max-time 3 --unix-socket "$sock" http://d/_ping >/dev/null 2>&1
}

install_missing() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "podman-setup: missing packages ${missing[*]}; install them as root (apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "podman-setup: installing ${missing[*]}" >&2
  local log
  log="$(mktemp /tmp/pgha-apt.XXXXXX.log)"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
      </dev/null >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "podman-setup: apt-get failed (log $log)" >&2
    exit 1
  fi
  rm -f "$log"
}

# Testcontainers drives compose through the docker-compose (v1) command, whatever the engine.
if answers; then
  install_missing docker-compose
  echo running
  exit 0
fi

install_missing podman runc conmon containernetworking-plugins golang-github-containernetworking-plugin-dnsname \
  slirp4netns uidmap fuse-overlayfs iptables catatonit debootstrap docker-compose curl

# Root here cannot raise its file/process limits, and the cgroup layout is hybrid (crun refuses it).
conf=/etc/containers/containers.conf
mkdir -p /etc/containers
if ! grep -qs '^# pgha: podman-setup' "$conf"; then
  [ -f "$conf" ] && cp -p "$conf" "$conf.pgha-orig"
  cat >"$conf" <<'CONF'
# pgha: podman-setup.sh (the original, if any, is kept as containers.conf.pgha-orig)
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
CONF
fi

mkdir -p "$(dirname "$sock")"
rm -f "$sock"
# setsid: its own process group, so the caller can stop the service and its children by PID.
setsid podman system service --time=0 "unix://$sock" >"$logfile" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$pidfile"
for _ in $(seq 1 100); do
  if answers; then
    echo "started $pid"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "podman-setup: podman system service exited; its log:" >&2
    cat "$logfile" >&2
    rm -f "$pidfile"
    exit 1
  fi
  sleep 0.1
done
echo "podman-setup: podman system service (pid $pid) does not answer at $sock after 10 s" >&2
exit 1
