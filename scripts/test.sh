#!/usr/bin/env bash
# Every test of the project, fastest first. Each step's output goes to target/test-logs/;
# a failing step prints its log's tail. Ends with one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."

logs=target/test-logs
rm -rf "$logs" && mkdir -p "$logs"
started=$(date +%s)
failed_step=""

step() { # step NAME COMMAND...
  local name=$1; shift
  local log="$logs/$name.log" t0=$(date +%s)
  if "$@" >"$log" 2>&1; then
    printf '  ok   %-14s %4ss\n' "$name" $(( $(date +%s) - t0 ))
  else
    printf '  FAIL %-14s %4ss  (log: %s)\n' "$name" $(( $(date +%s) - t0 )) "$log"
    tail -n 60 "$log" | sed 's/^/       | /'
    failed_step=$name
  fi
}


run_steps() {
  step fmt            cargo fmt --all --check || return
  [ -z "$failed_step" ] || return
  step import-circles bash -c 'for crate in src server/src protocol/src; do scripts/import-circles.py "$crate" || exit 1; done'
  [ -z "$failed_step" ] || return
  step notes-engine   bash -c 'cd assets/notes-engine && node --test'
  [ -z "$failed_step" ] || return
  step clippy-native  cargo clippy --workspace --all-targets --locked -- -D warnings
  [ -z "$failed_step" ] || return
  step clippy-wasm    cargo clippy -p tandem -p tandem-protocol --target wasm32-unknown-unknown --all-targets --locked -- -D warnings
  [ -z "$failed_step" ] || return
  step native-tests   cargo test --workspace --locked
  [ -z "$failed_step" ] || return
  step postgres-tests scripts/with-postgres.sh test cargo test -p tandem-server --locked -- --include-ignored --skip a_rolling_restart
  [ -z "$failed_step" ] || return
  step browser-tests  cargo test -p tandem --target wasm32-unknown-unknown --locked
  [ -z "$failed_step" ] || return
  step web-build      scripts/build-web.sh
  [ -z "$failed_step" ] || return
  step server-build   cargo build --release -p tandem-server --locked
  [ -z "$failed_step" ] || return
  # 1,000 streams through a rolling restart: built like production (release), as its clients
  # must keep up with two instances on two cores (server/tests/rolling_restart.rs).
  step rolling-restart scripts/with-postgres.sh rolling cargo test --release -p tandem-server --locked --test rolling_restart -- --include-ignored
  [ -z "$failed_step" ] || return
  step e2e            env E2E_PORT="$(scripts/free-ports.py)" bash -c 'cd e2e && npx playwright test'
  [ -z "$failed_step" ] || return
  step e2e-cluster    env E2E_PORT="$(scripts/free-ports.py 4)" bash -c 'cd e2e && npx playwright test -c playwright.cluster.config.ts'
}

echo "make test:"
run_steps

# Count test cases from the runners' own closing lines.
count() { # count PATTERN → sum of the first number matched in every log
  cat "$logs"/*.log 2>/dev/null | grep -oE "$1" | grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }'
}
passed=$(( $(count 'test result: (ok|FAILED)\. [0-9]+ passed') + $(count '^ *[0-9]+ passed \(') + $(count '^# pass [0-9]+') ))
failed=$(( $(count 'passed; [0-9]+ failed') + $(count '^ *[0-9]+ failed$') + $(count '^# fail [0-9]+') ))
elapsed=$(( $(date +%s) - started ))
if [ -n "$failed_step" ]; then
  [ "$failed" -gt 0 ] || failed=1
  echo "make test: step '$failed_step' failed after ${elapsed}s"
  echo "summary: $passed passed, $failed failed"
  exit 1
fi
echo "make test: every step passed in ${elapsed}s"
echo "summary: $passed passed, $failed failed"
