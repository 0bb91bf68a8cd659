#!/usr/bin/env bash
# Installs what `make run` (setup.sh run), `make test` / `make bench` (setup.sh test) or
# `make cluster` (setup.sh cluster) need, and only what is missing. Quiet when everything is
# present.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${1:-run}
tools_dir=.tools
installed=()
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"

say() { echo "setup: $*"; }

lock_version() { # version of a package in Cargo.lock
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown && return
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown >/dev/null
  installed+=("wasm32 target")
}

ensure_trunk() {
  trunk --version 2>/dev/null | grep -q '^trunk 0\.21\.14$' && return
  say "installing trunk 0.21.14 (several minutes, once)"
  cargo install trunk --version 0.21.14 --locked --quiet
  installed+=("trunk")
}

ensure_wasm_bindgen() {
  local version pinned
  version=$(lock_version wasm-bindgen)
  pinned=$(sed -n 's/^wasm_bindgen = "\(.*\)"$/\1/p' Trunk.toml)
  if [ "$version" != "$pinned" ]; then
    echo "setup: Trunk.toml pins wasm_bindgen $pinned but Cargo.lock has $version; set [tools] wasm_bindgen = \"$version\"" >&2
    exit 1
  fi
  wasm-bindgen --version 2>/dev/null | grep -q " $version\$" && return
  say "installing wasm-bindgen-cli $version (about two minutes, once)"
  # Not --locked: its lock file wants a crate version the registry mirror does not have.
  cargo install wasm-bindgen-cli --version "$version" --quiet
  installed+=("wasm-bindgen-cli")
}

ensure_wasm_opt() {
  "$tools_dir/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q 'version 132' && return
  say "installing wasm-opt (binaryen 132 from npm)"
  mkdir -p "$tools_dir"
  npm install --prefix "$tools_dir" --no-audit --no-fund --silent binaryen@132.0.0 >/dev/null
  installed+=("wasm-opt")
}

ensure_crates() {
  # Trunk builds offline, so every crate must be in the local registry first.
  cargo fetch --quiet
}

ensure_chromium() {
  command -v chromium >/dev/null && command -v chromedriver >/dev/null && return
  apt_install "chromium and chromium-driver" chromium chromium-driver
  installed+=("chromium")
}

apt_install() { # apt_install WHAT PACKAGE...: quiet, but shows apt's output if it fails
  say "installing $1 from apt (about a minute, once)"
  shift
  local log
  log=$(mktemp)
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"; } >"$log" 2>&1; then
    cat "$log" >&2
    exit 1
  fi
  rm -f "$log"
}

ensure_postgres() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && return
  apt_install PostgreSQL postgresql
  # The package starts a server of its own; the project runs its own (scripts/postgres.sh).
  $sudo service postgresql stop >/dev/null 2>&1 || true
  installed+=("postgresql")
}

ensure_nginx() {
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] && return
  apt_install nginx nginx
  $sudo service nginx stop >/dev/null 2>&1 || true
  installed+=("nginx")
}

ensure_e2e_packages() {
  local stamp=e2e/node_modules/.tandem-lock
  if [ -f "$stamp" ] && cmp -s e2e/package-lock.json "$stamp"; then return; fi
  say "installing the Playwright suite's npm packages"
  (cd e2e && npm ci --no-audit --no-fund --silent >/dev/null)
  cp e2e/package-lock.json "$stamp"
  installed+=("e2e npm packages")
}

ensure_notes_engine_packages() {
  local stamp=assets/notes-engine/node_modules/.tandem-lock
  if [ -f "$stamp" ] && cmp -s assets/notes-engine/package-lock.json "$stamp"; then return; fi
  say "installing the notes engine's npm packages (Yjs, esbuild)"
  (cd assets/notes-engine && npm ci --no-audit --no-fund --silent >/dev/null)
  cp assets/notes-engine/package-lock.json "$stamp"
  installed+=("notes engine npm packages")
}

ensure_smtp_server() { # aiosmtpd from PyPI, in a venv of its own: the tests' real SMTP server
  local stamp=$tools_dir/venv/.tandem-lock
  if [ -f "$stamp" ] && cmp -s scripts/smtp/requirements.txt "$stamp"; then return; fi
  say "installing the tests' SMTP server (aiosmtpd from PyPI)"
  python3 -m venv "$tools_dir/venv"
  "$tools_dir/venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/smtp/requirements.txt
  cp scripts/smtp/requirements.txt "$stamp"
  installed+=("aiosmtpd")
}

ensure_wasm_target
ensure_crates
ensure_trunk
ensure_wasm_bindgen
ensure_wasm_opt
ensure_notes_engine_packages
if [ "$profile" != run ]; then
  ensure_chromium
  ensure_e2e_packages
  ensure_smtp_server
fi
if [ "$profile" = test ] || [ "$profile" = cluster ]; then
  ensure_postgres
  ensure_nginx
fi

if [ ${#installed[@]} -eq 0 ]; then
  say "all tools present"
else
  say "installed: ${installed[*]}"
fi
