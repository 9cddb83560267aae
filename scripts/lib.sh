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
  if [ ! -x /usr/bin/chromium ]; then
    step "installing Chromium for the browser tests"
    apt_install chromium
  fi
  # Reactions are emoji: without a colour emoji font the screenshots show empty boxes.
  if [ ! -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ]; then
    step "installing an emoji font for the browser tests"
    apt_install fonts-noto-color-emoji
  fi
}

# Commands run on exit, last added first: `on_exit 'kill 42'`. The first call sets the trap.
cleanup_steps=()
on_exit() {
  [ ${#cleanup_steps[@]} -eq 0 ] && trap run_cleanup EXIT
  cleanup_steps+=("$1")
}
run_cleanup() {
  local i
  for ((i = ${#cleanup_steps[@]} - 1; i >= 0; i--)); do eval "${cleanup_steps[i]}" || true; done
}

# Starts `target/debug/viaduc serve` on a free port with a new database NAME (on the server
# of $DATABASE_URL) loaded with the demo conference; sets `server_address` (host:port).
# The server is stopped and the database dropped on exit.
start_demo_server() {
  local name=$1 admin_url=${DATABASE_URL%/*} psql_bin log pid
  psql_bin="$(pg_bin)/psql"
  "$psql_bin" -q "$DATABASE_URL" -c "create database $name"
  on_exit "'$psql_bin' -q '$DATABASE_URL' -c 'drop database if exists $name with (force)'"
  DATABASE_URL="$admin_url/$name" target/debug/viaduc demo >/dev/null
  log=$(mktemp "/tmp/viaduc-$name.XXXXXX")
  DATABASE_URL="$admin_url/$name" VIADUC_LOG_FORMAT=json \
    target/debug/viaduc serve --bind 127.0.0.1:0 >"$log" 2>&1 &
  pid=$!
  on_exit "kill $pid; wait $pid; rm -f '$log'"
  server_address=""
  for _ in $(seq 100); do
    server_address=$(grep -o '"bound":"[0-9.:]*"' "$log" | head -n 1 | cut -d'"' -f4 || true)
    [ -n "$server_address" ] && return
    kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.1
  done
  echo "the server did not start"
  cat "$log"
  exit 1
}
