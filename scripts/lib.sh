# Shared helpers for demo.sh and test.sh: install what is missing, print steps.
# shellcheck shell=bash

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  if [ -z "${VIADUC_APT_UPDATED:-}" ]; then
    as_root apt-get update -q
    export VIADUC_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q "$@"
}

# The directory with the PostgreSQL server binaries (initdb, pg_ctl, pg_isready, psql):
# the newest /usr/lib/postgresql/<version>/bin, else wherever pg_ctl is on PATH.
pg_bin() {
  local dir
  dir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  if [ -n "$dir" ] && [ -x "$dir/pg_ctl" ]; then
    echo "$dir"
  elif command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
  fi
}

# PostgreSQL server binaries for the embedded database and the tests.
ensure_postgres_binaries() {
  local dir
  dir=$(pg_bin)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/psql" ]; then
    return
  fi
  step "installing PostgreSQL server binaries"
  apt_install postgresql
}

ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "Node.js 20.19+ and npm are needed: https://nodejs.org or 'apt-get install nodejs npm'" >&2
    exit 1
  fi
}

# Installs the locked npm packages when node_modules is missing or older than the lock file.
# `npm install` rather than `npm ci`: registries that do not carry every platform's optional
# packages (rollup's, for instance) leave them out of the lock, and `npm ci` then refuses it.
npm_install() {
  local dir=$1
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm install --no-audit --no-fund)
  fi
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] && return
  step "installing Chromium for the browser tests"
  apt_install chromium
}
