# Sourced by ./svi. A private PostgreSQL cluster under a folder of ours, listening on 127.0.0.1 only.
# PostgreSQL refuses to run as root, so the cluster belongs to the 'postgres' user.

svi_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# svi_pg_start DIR PORT → prints a connection string (database 'postgres')
svi_pg_start() {
  local dir="$1" port="$2" bin; bin="$(svi_pg_bin)"
  [ -n "$bin" ] || { echo "svi: PostgreSQL binaries not found under /usr/lib/postgresql" >&2; return 1; }
  local run=(); [ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; chmod 700 "$dir"; fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    "${run[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  mkdir -p "$dir/sock"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir/sock"
  if ! "${run[@]}" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock ${SVI_PG_EXTRA_OPTIONS:-}" start >/dev/null
  fi
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
}

svi_pg_stop() {
  local dir="$1" bin; bin="$(svi_pg_bin)"
  local run=(); [ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
  [ -f "$dir/data/PG_VERSION" ] && "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
}

svi_pg_create_database() {
  local cs="$1" name="$2" port; port="$(echo "$cs" | sed -n 's/.*Port=\([0-9]*\).*/\1/p')"
  local run=(); [ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
  "${run[@]}" "$(svi_pg_bin)/psql" -h 127.0.0.1 -p "$port" -U postgres -qAtc \
    "SELECT 1 FROM pg_database WHERE datname='$name'" | grep -q 1 ||
    "${run[@]}" "$(svi_pg_bin)/psql" -h 127.0.0.1 -p "$port" -U postgres -qAtc "CREATE DATABASE \"$name\"" >/dev/null
}

# svi_pg_private_database DATA_DIR PORT → prints the connection string of database 'svi' in a private cluster under
# DATA_DIR/postgres, started if it is not running. Used when no ConnectionStrings__Svi is configured: by `./svi serve`
# on a host and by the image's entry point (docker/entrypoint.sh).
svi_pg_private_database() {
  local data="$1" port="$2" cs
  mkdir -p "$data"
  cs="$(svi_pg_start "$data/postgres" "$port")" || return 1
  svi_pg_create_database "$cs" svi
  echo "${cs/Database=postgres/Database=svi}"
}
