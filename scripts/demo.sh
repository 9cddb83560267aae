#!/usr/bin/env bash
# Builds Viaduc and runs it with the demo conference on http://127.0.0.1:8080.
# Installs what is missing (PostgreSQL server binaries, npm packages). Extra arguments go
# to `viaduc serve`, e.g. `scripts/demo.sh --bind 0.0.0.0:8080`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_postgres_binaries
ensure_node
step "building the frontend"
npm_install frontend
(cd frontend && npm run build)
step "building the backend (release)"
SQLX_OFFLINE=true cargo build --release -p viaduc

# The embedded PostgreSQL runs as the `postgres` user when we are root; it must be able
# to reach the data directory, which a checkout under /root does not allow.
if [ "$(id -u)" = 0 ] && [ -z "${VIADUC_DATA_DIR:-}" ] && [ -z "${DATABASE_URL:-}" ]; then
  export VIADUC_DATA_DIR=/var/lib/viaduc
fi
step "starting Viaduc with the demo conference"
exec target/release/viaduc serve --demo "$@"
