#!/usr/bin/env bash
# `make cluster`: a real local cluster. PostgreSQL (as a non-root user, data under
# .run/postgres/cluster), two Tandem instances on it, and nginx in front of them with a
# self-signed certificate, TLS and HTTP/2 (config: deploy/nginx.conf). Runs until Ctrl+C
# (or SIGTERM), then stops everything it started.
#
# Ports (override by environment): CLUSTER_PORT (nginx, 8443), CLUSTER_FIRST_INSTANCE (8081;
# the second is the next port), CLUSTER_POSTGRES (55432). CLUSTER_INSTANCES (2) may ask for
# more instances. CLUSTER_NAME (cluster) names its folder, .run/NAME, and its PostgreSQL;
# CLUSTER_FRESH=1 starts from an empty database. Instance pids go to .run/NAME/instance-N.pid.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${CLUSTER_PORT:-8443}
first=${CLUSTER_FIRST_INSTANCE:-8081}
pg_port=${CLUSTER_POSTGRES:-55432}
count=${CLUSTER_INSTANCES:-2}
password=${TANDEM_DEMO_PASSWORD:-tandem-demo}
name=${CLUSTER_NAME:-cluster}
run=$PWD/.run/$name
nginx=$(command -v nginx || echo /usr/sbin/nginx)

for built in target/release/tandem-server dist/index.html; do
  [ -e "$built" ] || { echo "cluster.sh: $built is missing (make cluster builds it)" >&2; exit 1; }
done

pids=()
stop() {
  trap - EXIT INT TERM
  [ -f "$run/nginx.pid" ] && "$nginx" -p "$run" -c "$run/nginx.conf" -s quit 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/postgres.sh stop "$name" || true
}
trap stop EXIT
trap 'exit 0' INT TERM

mkdir -p "$run/tls" "$run/tmp"
admin=$(scripts/postgres.sh start "$name" "$pg_port")
if [ "${CLUSTER_FRESH:-0}" = 1 ]; then
  psql "$admin" -qc "DROP DATABASE IF EXISTS tandem WITH (FORCE)"
fi
psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname = 'tandem'" | grep -q 1 \
  || psql "$admin" -qc "CREATE DATABASE tandem"
database=${admin%/postgres}/tandem

if [ ! -f "$run/tls/cert.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$run/tls/key.pem" -out "$run/tls/cert.pem" 2>/dev/null
fi

wait_healthy() { # wait_healthy URL
  for _ in $(seq 1 150); do
    curl -skf "$1/api/health" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "cluster.sh: $1 did not come up" >&2
  exit 1
}

wait_ready() { # wait_ready URL: until the instance says it should get traffic
  for _ in $(seq 1 150); do
    [ "$(curl -sk "$1/api/ready" 2>/dev/null)" = ready ] && return 0
    sleep 0.2
  done
  echo "cluster.sh: $1 did not become ready" >&2
  return 1
}

declare -A instance_pid=()
start_instance() { # start_instance N
  local n=$1 instance_port=$((first + $1 - 1))
  ./target/release/tandem-server --port "$instance_port" --database-url "$database" \
    --static-dir dist --demo true --demo-password "$password" --trust-forwarded-for \
    --instance-name "instance-$n" --log-level "${TANDEM_LOG:-warn}" >>"$run/instance-$n.log" 2>&1 &
  instance_pid[$n]=$!
  pids+=($!)
  echo $! >"$run/instance-$n.pid"
  wait_healthy "http://127.0.0.1:$instance_port"
}

# `make cluster-restart` (SIGHUP to this script): every instance in turn drains (its streams
# reconnect at once to the others through nginx, its requests under way finish), exits, and
# is replaced; the next waits until the replacement says it is ready.
rolling_restart() {
  echo "cluster.sh: rolling restart of $count instances"
  for n in $(seq 1 "$count"); do
    local old=${instance_pid[$n]} started=$(date +%s%N)
    kill -TERM "$old" 2>/dev/null || true
    while kill -0 "$old" 2>/dev/null; do sleep 0.05; done
    start_instance "$n"
    wait_ready "http://127.0.0.1:$((first + n - 1))"
    echo "cluster.sh: instance-$n replaced in $(( ($(date +%s%N) - started) / 1000000 )) ms"
  done
  echo "cluster.sh: rolling restart done"
}
echo $$ >"$run/cluster.pid"

upstreams=""
for n in $(seq 1 "$count"); do
  # One after the other: the first seeds the demo into the empty database.
  : >"$run/instance-$n.log"
  start_instance "$n"
  upstreams+="server 127.0.0.1:$((first + n - 1)) max_fails=0; "
done

sed -e "s|@RUN@|$run|g" -e "s|@PORT@|$port|g" -e "s|@UPSTREAMS@|$upstreams|g" deploy/nginx.conf >"$run/nginx.conf"
"$nginx" -p "$run" -c "$run/nginx.conf" -g "daemon off;" 2>>"$run/nginx-error.log" &
front=$!
pids+=($front)
wait_healthy "https://127.0.0.1:$port"

echo
echo "Tandem cluster ($count instances on PostgreSQL, nginx with TLS and HTTP/2) at https://127.0.0.1:$port"
echo "(a self-signed certificate: the browser asks once to accept it)"
echo "Demo logins (password: $password):"
echo "  coach    coach@tandem.demo"
echo "  coachee  sam@tandem.demo"
echo "  coachee  jordan@tandem.demo"
echo "Logs in $run. Press Ctrl+C to stop."
echo "make cluster-restart (or kill -HUP $$) restarts the instances one at a time."
trap rolling_restart HUP
# An instance that stops leaves the others serving (that is the point); the cluster runs as
# long as its front does. A signal interrupts `wait`; the loop goes back to waiting.
while kill -0 "$front" 2>/dev/null; do
  wait "$front" || true
done
