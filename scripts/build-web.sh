#!/usr/bin/env bash
# Builds the release web app into dist/ as its three apps (docs/architecture.md, "Web app"):
# the main one (index.html: sign-in, dashboard, actions) at the top, the coaching session
# page's one (session.html) in dist/session/ and the account pages' one (accounts.html) in
# dist/accounts/, whose files the server serves at /session/ and /accounts/. Then writes .br
# and .gz copies of all three. Arguments go to every trunk build (`--quiet`).
# Used by `make web` and by `make test`'s web-build step.
set -euo pipefail
cd "$(dirname "$0")/.."

# Trunk empties its dist folder before writing into it: dist/ (with session/ and accounts/ in
# it) for the main app, so that one is built first; then only its own folder for each other.
# (`--release` takes an optional value: it must not stand right before the HTML file's name.)
trunk build --release "$@"
trunk build "$@" session.html --release --dist dist/session --public-url /session/
trunk build "$@" accounts.html --release --dist dist/accounts --public-url /accounts/
node scripts/precompress.mjs dist dist/session dist/accounts
