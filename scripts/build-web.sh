#!/usr/bin/env bash
# Builds the release web app into dist/ as its two apps (docs/architecture.md, "Web app"):
# the main one (index.html) at the top, which every page loads, and the account pages' one
# (accounts.html) in dist/accounts/, whose files the server serves at /accounts/. Then
# writes .br and .gz copies of both. Arguments go to both trunk builds (`--quiet`).
# Used by `make web` and by `make test`'s web-build step.
set -euo pipefail
cd "$(dirname "$0")/.."

# Trunk empties its dist folder before writing into it: dist/ (with accounts/ in it) for the
# main app, so that one is built first; then only dist/accounts/ for the second.
# (`--release` takes an optional value: it must not stand right before the HTML file's name.)
trunk build --release "$@"
trunk build "$@" accounts.html --release --dist dist/accounts --public-url /accounts/
node scripts/precompress.mjs dist dist/accounts
