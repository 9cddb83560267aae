#!/usr/bin/env bash
# Checks the Rust dependencies with cargo deny (licences, bans, sources, advisories; see
# deny.toml). Installs cargo-deny when missing. Where the RustSec database cannot be fetched,
# a snapshot of it in ../shared/advisory-db (beside the repository) is read offline.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

CARGO_DENY_VERSION=0.20.2
if ! cargo deny --version >/dev/null 2>&1; then
  step "installing cargo-deny $CARGO_DENY_VERSION (a few minutes)"
  cargo install --locked cargo-deny --version "$CARGO_DENY_VERSION"
fi

snapshot=../shared/advisory-db
if [ -f "$snapshot/SNAPSHOT.txt" ]; then
  # cargo deny reads the database as a git repository in db-path, in a folder named after
  # a hash of the database's URL (this one: cargo-deny 0.20's default URL).
  db=target/advisory-db/advisory-db-3157b0e258782691
  if [ ! -d "$db/.git" ] || [ "$snapshot/SNAPSHOT.txt" -nt "$db/.git" ]; then
    rm -rf "$db"
    mkdir -p "$db"
    cp -r "$snapshot/." "$db/"
    chmod -R u+w "$db"
    git -C "$db" init --quiet
    git -C "$db" add --all
    git -C "$db" -c user.name=viaduc -c user.email=ci@viaduc.invalid commit --quiet -m snapshot
  fi
  echo "advisories: the offline snapshot in $snapshot"
  cargo fetch --quiet  # the offline check needs every platform's crates on disk
  cargo deny --offline check
else
  cargo deny check
fi
