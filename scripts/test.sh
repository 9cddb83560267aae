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

cleanup_steps=()
cleanup() {
  local i
  for ((i = ${#cleanup_steps[@]} - 1; i >= 0; i--)); do eval "${cleanup_steps[i]}" || true; done
}
trap cleanup EXIT

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
    cleanup_steps+=("${runner[*]:-env} '$(pg_bin)/pg_ctl' -D '$pg_dir/data' -m immediate stop >/dev/null; rm -rf '$pg_dir'")
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
e2e_db="viaduc_e2e_$$"
admin_url=${DATABASE_URL%/*}
psql_bin="$(pg_bin)/psql"
"$psql_bin" -q "$DATABASE_URL" -c "create database $e2e_db"
cleanup_steps+=("'$psql_bin' -q '$DATABASE_URL' -c 'drop database if exists $e2e_db with (force)'")
export VIADUC_LOG_FORMAT=json
DATABASE_URL="$admin_url/$e2e_db" target/debug/viaduc demo >/dev/null
server_log=$(mktemp /tmp/viaduc-e2e-server.XXXXXX)
DATABASE_URL="$admin_url/$e2e_db" target/debug/viaduc serve --bind 127.0.0.1:0 >"$server_log" 2>&1 &
server_pid=$!
cleanup_steps+=("kill $server_pid; wait $server_pid; rm -f '$server_log'")
address=""
for _ in $(seq 100); do
  address=$(grep -o '"bound":"[0-9.:]*"' "$server_log" | head -n 1 | cut -d'"' -f4 || true)
  [ -n "$address" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$server_log"; exit 1; }
  sleep 0.1
done
[ -n "$address" ] || { echo "the server did not start"; cat "$server_log"; exit 1; }
(cd tests/e2e && VIADUC_URL="http://$address" npm test)

step "all tests passed"

