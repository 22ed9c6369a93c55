#!/usr/bin/env bash
# The image's entry point. `docker run … svi-server:cuda` alone must serve, so `serve` without a configured
# ConnectionStrings__Svi starts a private PostgreSQL cluster under the data volume (/data/postgres, listening on
# 127.0.0.1 inside the container only), as `./svi serve` does on a host. Compose and multi-worker deployments set
# ConnectionStrings__Svi and use their shared database; every other command (worker, models, generate, …) runs as is.
# Runs as the image's non-root user (PostgreSQL refuses root); tested on the host by DockerEntrypointTests.
set -euo pipefail
SVI_APP="${SVI_APP:-/app/svi.dll}"
SVI_SCRIPTS="${SVI_SCRIPTS:-/app/scripts}"
source "$SVI_SCRIPTS/postgres.sh"

command="${1:-serve}"
data="${Svi__DataDirectory:-/data}"
# serve and worker write videos (and the private cluster) under the data volume. A volume they cannot write, such as a
# host folder owned by another uid or a read-only mount, stops them here with one line that names the uid, instead of
# failing deep inside PostgreSQL or a job.
if [ "$command" = serve ] || [ "$command" = worker ]; then
  probe="$data/.svi-write-test.$$"
  if ! { mkdir -p "$data" && : >"$probe"; } 2>/dev/null; then
    echo "svi: $data is not writable by uid $(id -u) (the user this container runs as); give uid $(id -u) write access" \
         "to the volume mounted there (a host folder: chown -R $(id -u):$(id -g) FOLDER), or mount it read-write" >&2
    exit 2
  fi
  rm -f "$probe"
fi
if [ "$command" != serve ] || [ -n "${ConnectionStrings__Svi:-}" ]; then
  exec dotnet "$SVI_APP" "$@"
fi
[ $# -gt 0 ] || set -- serve

port="${SVI_PG_PORT:-5432}"
echo "svi: no ConnectionStrings__Svi given; starting a private PostgreSQL in $data/postgres (127.0.0.1:$port)." \
     "Set ConnectionStrings__Svi to use a shared database (several workers, compose)." >&2
ConnectionStrings__Svi="$(svi_pg_private_database "$data" "$port")" || {
  echo "svi: the private PostgreSQL did not start; see $data/postgres/postgres.log" >&2; exit 1; }
export ConnectionStrings__Svi

# The server runs as a child so that on `docker stop` PostgreSQL is shut down cleanly after it, not killed mid-write.
# Docker sends SIGKILL 10 s after SIGTERM unless told otherwise (docker run --stop-timeout), so the server gets
# SVI_STOP_GRACE_SECONDS (7) to stop on its own and is then killed, leaving PostgreSQL time for a clean shutdown. An
# interrupted job is picked up again at the next start, as after any crash.
dotnet "$SVI_APP" "$@" &
server=$!
trap 'kill -TERM "$server" 2>/dev/null' TERM INT
status=0
wait "$server" || status=$?
# A signal interrupts the first wait; then the server has its grace period to exit.
if kill -0 "$server" 2>/dev/null; then
  grace="${SVI_STOP_GRACE_SECONDS:-7}"
  for ((tenths = 0; tenths < grace * 10; tenths++)); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$server" 2>/dev/null; then
    echo "svi: the server did not stop within ${grace} s; killing it so that PostgreSQL shuts down cleanly" \
         "(longer: SVI_STOP_GRACE_SECONDS and docker run --stop-timeout)" >&2
    kill -KILL "$server" 2>/dev/null || true
  fi
  wait "$server" || status=$?
fi
svi_pg_stop "$data/postgres"
echo "svi: stopped; the private PostgreSQL was shut down" >&2
exit "$status"
