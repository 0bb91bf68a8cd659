#!/usr/bin/env bash
# Runs a command with a fresh-started PostgreSQL of the project's own (scripts/postgres.sh),
# its administrative URL in TANDEM_TEST_POSTGRES, and stops the server afterwards.
#   scripts/with-postgres.sh NAME COMMAND...
set -uo pipefail
cd "$(dirname "$0")/.."
name=${1:?a name}; shift
url=$(scripts/postgres.sh start "$name" "$(scripts/free-ports.py 1)" fast) || exit 1
TANDEM_TEST_POSTGRES=$url TANDEM_TEST_POSTGRES_RESTART="$PWD/scripts/postgres.sh restart $name" "$@"
status=$?
scripts/postgres.sh stop "$name"
exit $status
