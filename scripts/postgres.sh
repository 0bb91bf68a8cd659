#!/usr/bin/env bash
# A PostgreSQL server of the project's own, under .run/postgres/NAME (ignored by git), run as
# a non-root user and listening on 127.0.0.1 only. (Under /tmp when that user cannot reach
# the checkout: see below.)
#
#   scripts/postgres.sh start NAME PORT [fast]   create (once) and start it; prints its URL
#   scripts/postgres.sh stop NAME                stop it (fast shutdown)
#   scripts/postgres.sh restart NAME             stop and start again on the same port
#
# `fast` trades durability for speed (no fsync): for test databases only.
# The superuser is `tandem`, trusted on 127.0.0.1 (the server accepts no other address).
set -euo pipefail
cd "$(dirname "$0")/.."

command=${1:?start, stop or restart}
name=${2:?a name, e.g. test or cluster}
root=$PWD/.run/postgres
# As root, PostgreSQL runs as `postgres`, which must be able to reach its data directory. A
# checkout inside a private directory (a 0700 home or mktemp directory) is out of its reach;
# its data then lives in a directory of its own under /tmp, one per checkout.
if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$PWD"; then
  root=/tmp/tandem-postgres-$(printf '%s' "$PWD" | sha256sum | cut -c1-12)
fi
data=$root/$name

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "postgres.sh: PostgreSQL is not installed (scripts/setup.sh installs it)" >&2
  exit 1
fi

# PostgreSQL refuses to run as root: as root, run it as the `postgres` user of the package.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
  start)
    port=${3:?a port}
    mode=${4:-durable}
    mkdir -p "$root"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$root"; fi
    if [ ! -f "$data/PG_VERSION" ]; then
      as_owner "$bin/initdb" --pgdata "$data" --username tandem --auth trust --encoding UTF8 --no-locale >/dev/null
      {
        echo "listen_addresses = '127.0.0.1'"
        echo "unix_socket_directories = ''"
        echo "max_connections = 400"
        echo "shared_buffers = 128MB"
        if [ "$mode" = fast ]; then
          echo "fsync = off"
          echo "synchronous_commit = off"
          echo "full_page_writes = off"
        fi
      } | as_owner tee -a "$data/postgresql.conf" >/dev/null
    fi
    if ! as_owner "$bin/pg_ctl" --pgdata "$data" status >/dev/null 2>&1; then
      echo "$port" | as_owner tee "$data/tandem.port" >/dev/null
      as_owner "$bin/pg_ctl" --pgdata "$data" --log "$data/server.log" --options "-p $port" --wait start >/dev/null
    fi
    echo "postgres://tandem@127.0.0.1:$(cat "$data/tandem.port")/postgres"
    ;;
  stop)
    if [ -f "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" --pgdata "$data" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" --pgdata "$data" --mode fast --wait stop >/dev/null
    fi
    ;;
  restart)
    as_owner "$bin/pg_ctl" --pgdata "$data" --mode fast --wait stop >/dev/null
    as_owner "$bin/pg_ctl" --pgdata "$data" --log "$data/server.log" --options "-p $(cat "$data/tandem.port")" --wait start >/dev/null
    ;;
  *)
    echo "postgres.sh: unknown command $command" >&2
    exit 1
    ;;
esac
