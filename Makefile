# Tandem. `make run` serves the app with demo data; `make test` runs every test.
# Both install whatever they lack first (see scripts/setup.sh) and are quiet when all is present.

SHELL := /bin/bash
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# Trunk must not download anything: its tools come from PATH, its crates from `cargo fetch`.
export TRUNK_OFFLINE := true
export TRUNK_SKIP_VERSION_CHECK := true

# Flags for the server, e.g. `make run ARGS="--port 9000"` (or TANDEM_* variables; see README).
ARGS ?=

.PHONY: run cluster cluster-restart test web server setup setup-test bundle-size bench bench-events screens clean help

help:
	@echo "make run    build the web app and serve it with the API and demo data on http://127.0.0.1:8080"
	@echo "make cluster  PostgreSQL, two instances and nginx (TLS, HTTP/2) on https://127.0.0.1:8443"
	@echo "make cluster-restart  restart the running cluster's instances one at a time"
	@echo "make test   run every test (fmt, clippy, native, browser, release build, Playwright)"
	@echo "make bundle-size   measure the release web app, each of its three apps (raw, gzip, brotli)"
	@echo "make bench         measure speed and size (fan-out, catch-up, event to screen, start, bundle)"
	@echo "make screens       screenshots of every page, desktop and phone, into docs/screens/"
	@echo "make bench-events  measure coach click -> coachee screen over 100 live changes"

# Demo people are off by default in the server; `make run` asks for them. A web app built for
# another API origin (TANDEM_API_BASE) needs that origin in the Content-Security-Policy.
run: setup web server
	./target/release/tandem-server --static-dir dist --demo true $(if $(TANDEM_API_BASE),--csp-connect-src $(TANDEM_API_BASE)) $(ARGS)

# Several instances on PostgreSQL behind nginx (scripts/cluster.sh; ports there).
cluster: setup-cluster web server
	@scripts/cluster.sh

# Restarts the running cluster's instances one at a time, nothing lost (see scripts/cluster.sh).
cluster-restart:
	@kill -HUP "$$(cat .run/$${CLUSTER_NAME:-cluster}/cluster.pid)"

test: setup-test
	@scripts/test.sh

setup:
	@scripts/setup.sh run

setup-test:
	@scripts/setup.sh test

setup-cluster:
	@scripts/setup.sh cluster

# The three apps of the web app into dist/ (scripts/build-web.sh). A failed build stops here with
# trunk's own error (pipefail): an old dist/ is never served.
web:
	@set -o pipefail; scripts/build-web.sh --quiet 2>&1 | { grep -vE '^\s*$$' || true; }

server:
	@cargo build --release -p tandem-server --quiet

bundle-size: setup web
	@node scripts/bundle-size.mjs dist

# Everything speed and size: fan-out of the event stream on one instance and on two on
# PostgreSQL, and catch-up (Rust load generator),
# event to screen and start time (Playwright), bundle weight; report in target/bench/.
bench: setup-test web server
	@mkdir -p target/bench
	@scripts/with-postgres.sh bench cargo bench -p tandem-server --bench fanout --quiet
	@cd e2e && E2E_PORT=$$(../scripts/free-ports.py) \
		npx playwright test -c playwright.bench.config.ts --reporter=line
	@node scripts/bench-report.mjs

# Coach clicks → coachee's screen, over 100 changes of four kinds (see docs/performance.md).
bench-events: setup-test web server
	@mkdir -p target/bench
	@cd e2e && E2E_PORT=$$(../scripts/free-ports.py) \
		npx playwright test -c playwright.bench.config.ts --reporter=line bench/event-to-screen.spec.ts
	@cat target/bench/event-to-screen.json

# Screenshots of every page (desktop and phone, coach and coachee) into docs/screens/.
screens: setup-test web server
	@mkdir -p docs/screens
	@cd e2e && E2E_PORT=$$(../scripts/free-ports.py) \
		npx playwright test -c playwright.screens.config.ts --reporter=line
	@echo "screens: $$(ls docs/screens/*.png | wc -l) screenshots in docs/screens/"

clean:
	cargo clean
	rm -rf dist data .run e2e/.run e2e/test-results
