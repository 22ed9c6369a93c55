#!/usr/bin/env bash
# First start: a cluster in $PGDATA with the superuser $POSTGRES_USER (password auth over TCP) and the database
# $POSTGRES_DB, as the official image makes them. Then PostgreSQL in the foreground, listening on every address.
set -euo pipefail
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
user="${POSTGRES_USER:-postgres}"
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  "$bin/initdb" -D "$PGDATA" -U "$user" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  echo "host all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
  db="${POSTGRES_DB:-$user}"
  if [ "$db" != postgres ]; then
    "$bin/postgres" --single -D "$PGDATA" -c listen_addresses='' postgres <<< "CREATE DATABASE \"$db\";" >/dev/null
  fi
  echo "stand-in postgres: initialised $PGDATA (user $user, database $db)"
fi
exec "$bin/postgres" -D "$PGDATA" -c listen_addresses='*' -k /var/run/postgresql "$@"
