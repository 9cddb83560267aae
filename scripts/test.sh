#!/usr/bin/env bash
# Runs every check and test: frontend type checks and unit tests, Rust formatting, lints and
# tests (each against its own PostgreSQL database), and the browser tests in Chromium.
# Installs what is missing. Uses the PostgreSQL server at 127.0.0.1:5432 when one answers
# (user postgres), otherwise starts a private one for the duration of the run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
export SQLX_OFFLINE=true   # queries are checked against the committed .sqlx data
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

ensure_postgres_binaries
ensure_node

# --- a PostgreSQL server for the tests -------------------------------------------------
if [ -z "${DATABASE_URL:-}" ]; then
  if "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p 5432 -U postgres; then
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres
  else
    step "no PostgreSQL at 127.0.0.1:5432: starting a private one"
    pg_dir=$(mktemp -d /tmp/viaduc-test-pg.XXXXXX)
    chmod 755 "$pg_dir"
    runner=()
    if [ "$(id -u)" = 0 ]; then
      chown postgres: "$pg_dir"
      runner=(runuser -u postgres --)
    fi
    port=55432
    "${runner[@]}" "$(pg_bin)/initdb" -D "$pg_dir/data" -U postgres --auth=trust --no-locale -E UTF8 >/dev/null
    "${runner[@]}" "$(pg_bin)/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_dir -c max_connections=300 -c fsync=off" start >/dev/null
    on_exit "${runner[*]:-env} '$(pg_bin)/pg_ctl' -D '$pg_dir/data' -m immediate stop >/dev/null; rm -rf '$pg_dir'"
    export DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres
  fi
fi
echo "tests use $DATABASE_URL"

# --- frontend ------------------------------------------------------------------------
step "frontend: install, type-check, unit tests, build"
npm_install frontend
(cd frontend && npm run check && npm test && npm run build)

# --- backend -------------------------------------------------------------------------
step "backend: format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings

step "dependencies: licences, bans, sources, advisories (cargo deny)"
scripts/deny.sh

step "deploy files: lint with the linters that are installed"
deploy/lint.sh
if command -v shellcheck >/dev/null 2>&1; then shellcheck -x scripts/*.sh tests/load/bench.sh .ci/run; fi

step "backend: tests"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast
else
  cargo test --workspace --no-fail-fast
fi

# --- browser tests against a running server with the demo conference ----------------------
step "browser tests (Chromium)"
ensure_chromium
npm_install tests/e2e
cargo build -p viaduc
start_demo_server "viaduc_e2e_$$"
(cd tests/e2e && VIADUC_URL="http://$server_address" npm test)

step "API contract fuzzing (schemathesis)"
scripts/fuzz.sh

step "all tests passed"

