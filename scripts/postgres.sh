#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for trying the PostgreSQL store and for its tests.
#
#   scripts/postgres.sh start [DIR]   makes (once) and starts a cluster under DIR
#                                     (default data/postgres) and prints its database URL
#   scripts/postgres.sh stop [DIR]    stops it
#   scripts/postgres.sh url [DIR]     prints the URL of a running one
#   scripts/postgres.sh createdb NAME [DIR]
#                                     makes an empty database NAME in a running one; prints its URL
#
# The cluster listens on a Unix socket inside DIR only (no TCP port), so nothing else on the
# machine or the network can reach it; inside, trust authentication for its one user.
# `initdb` refuses to run as root, so as root the cluster belongs to the `postgres` system
# user that Debian's package creates. PostgreSQL comes from `scripts/setup.sh --postgres`.
# PP_POSTGRES_OPTIONS adds server settings at start (the tests turn fsync off: their clusters
# are thrown away, and each test makes a database).
set -euo pipefail
cd "$(dirname "$0")/.."

action="${1:-}"
if [ "$action" = createdb ]; then
  name="${2:?createdb needs a database name}"
  shift
fi
dir="$(realpath -m "${2:-data/postgres}")"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
if [ -z "$bin" ]; then
  echo "PostgreSQL is not installed: run scripts/setup.sh --postgres" >&2
  exit 1
fi

if [ "$(id -u)" = 0 ]; then
  owner=postgres
  as_owner() { runuser -u "$owner" -- "$@"; }
else
  owner="$(id -un)"
  as_owner() { "$@"; }
fi

url() {
  # tokio-postgres and libpq both read a socket directory from `host`.
  echo "postgres://$owner@localhost/${1:-perfect_pitch}?host=$dir"
}

case "$action" in
  start)
    mkdir -p "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      chown "$owner" "$dir"
      chmod 700 "$dir"
      as_owner "$bin/initdb" -D "$dir/data" -U "$owner" --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 >"$dir/initdb.log"
    fi
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
        -o "-c listen_addresses='' -k $dir ${PP_POSTGRES_OPTIONS:-}" start
    fi
    as_owner "$bin/psql" -h "$dir" -U "$owner" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'perfect_pitch'" | grep -q 1 ||
      as_owner "$bin/createdb" -h "$dir" -U "$owner" perfect_pitch
    url
    ;;
  stop)
    if [ -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -s stop || true
    fi
    ;;
  url) url ;;
  createdb)
    as_owner "$bin/createdb" -h "$dir" -U "$owner" "$name"
    url "$name"
    ;;
  *)
    echo "usage: scripts/postgres.sh start|stop|url [DIR], or createdb NAME [DIR]" >&2
    exit 2
    ;;
esac
