#!/usr/bin/env bash
# API contract fuzzing: schemathesis drives /api/openapi.json against a server on its own
# fresh database loaded with the demo, as each of anonymous, attendee, moderator and
# organiser, with every check and every phase. Any finding (or warning) fails the script.
#
#   scripts/fuzz.sh                         # CI: 40 s per role, seed 2026
#   VIADUC_FUZZ_SECONDS=600 VIADUC_FUZZ_SEED=7 scripts/fuzz.sh   # a longer, different run
#
# Uses $DATABASE_URL's server (default: PostgreSQL at 127.0.0.1:5432, user postgres) and
# target/debug/viaduc (built when missing). Installs schemathesis into a private venv.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

SCHEMATHESIS_VERSION=4.32.5
seconds=${VIADUC_FUZZ_SECONDS:-40}
seed=${VIADUC_FUZZ_SEED:-2026}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
venv=${XDG_CACHE_HOME:-$HOME/.cache}/viaduc/schemathesis-$SCHEMATHESIS_VERSION

if [ ! -x "$venv/bin/st" ]; then
  step "installing schemathesis $SCHEMATHESIS_VERSION into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
fi
[ -x target/debug/viaduc ] || SQLX_OFFLINE=true cargo build -p viaduc

# Its own database: the organiser's stateful phase deletes whatever it finds.
start_demo_server "viaduc_fuzz_$$"
base="http://$server_address"

# Logs in a demo account and prints its access token, waiting out the login rate limit
# (the previous role's run has tried many logins from this address).
access_token() {
  local email=$1 headers wait
  for _ in 1 2 3; do
    headers=$(curl -s -o /dev/null -D - -H 'content-type: application/json' \
      -d "{\"email\":\"$email\",\"password\":\"viaduc-demo-2026\"}" "$base/api/auth/login")
    if grep -qi '^set-cookie: viaduc_access=' <<<"$headers"; then
      grep -i '^set-cookie: viaduc_access=' <<<"$headers" | sed 's/^[^=]*=\([^;]*\);.*/\1/'
      return
    fi
    wait=$(grep -i '^retry-after:' <<<"$headers" | tr -dc '0-9')
    sleep "${wait:-1}"
  done
  echo "could not log in as $email" >&2
  exit 1
}

# Every check and every phase. Nothing is excluded: logging out (POST /api/auth/logout)
# revokes the login's refresh tokens, but the bearer token the fuzzer holds stays valid
# until it expires (15 minutes, more than a run), so it cannot end the fuzzer's run.
fuzz() {
  local role=$1
  shift
  step "schemathesis as $role ($seconds s, seed $seed)"
  "$venv/bin/st" --config-file scripts/schemathesis.toml run "$base/api/openapi.json" \
    --checks all --phases examples,coverage,fuzzing,stateful \
    --seed "$seed" --max-time "$seconds" --workers 1 --request-timeout 10 \
    --report junit --report-dir "target/fuzz/$role" "$@"
}

fuzz anonymous
for role in attendee moderator organiser; do
  token=$(access_token "$role@demo.viaduc.eu")
  # Both ways the document declares, so schemathesis generates neither (its auth checks
  # then remove or spoil each one and expect a 401).
  fuzz "$role" --header "Authorization: Bearer $token" --header "Cookie: viaduc_access=$token"
done
step "schemathesis: no findings"
