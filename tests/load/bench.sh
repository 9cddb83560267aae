#!/usr/bin/env bash
# Runs the real-time benchmarks recorded in BENCHMARKS.md and prints their medians:
#   1. 900 attendees in one panel, 50 chat messages/s
#   2. fan-out to 1,000 subscribers at 10/50/100 broadcasts/s, against a socket.io 4 server
#   3. 10,000 idle authenticated connections
#   4. reconnect storm: 900 listeners dropped at once
#   5. a second node: senders on one node, listeners on the other
#   6. vote storms: 900 attendees upvote one question, or answer one poll, within 2 s (and
#      the same with chat at 50/s beside)
#   7. reactions: 900 attendees react every second for 10 s with chat at 50/s beside (and
#      the chat alone, as the baseline, in turn), and the echo floor: that storm's socket I/O
#      alone, served by a bare tokio runtime on the server's core
#   8. ballot storms: 900 voters cast within 3 s; the same with a fifth of the first
#      attempts cut off, with the server killed and restarted mid-storm, and with
#      PostgreSQL restarted (`pg_ctl restart -m immediate`) mid-storm
#   9. the chat's floor beside a vote storm: chat at 50/s to 900 screens alone, beside 450
#      upvote-shaped transactions a second from pgbench (not Viaduc) on the same PostgreSQL,
#      and beside a real upvote storm, in turn
#  10. breakouts: 15 working-group boards of 60 participants, each acting every 2 s (450
#      actions/s): delivery to the board's other screens, and the dots exact at the end; in
#      turn with the floor: the same rhythm as chat messages in the groups' session rooms
#  11. the synthesis editor: 5 rapporteurs typing 5 characters a second each into one
#      document watched by 25 more: each keystroke's delivery to every other screen, and
#      every screen's text equal to the stored one at the end
#  12. registrations: a CSV of 5,000 people imported into the demo conference (each a new
#      account with an invitation e-mail in the outbox), timed end to end
# The server under test runs on CPU 0, the load generator on CPU 1 (taskset). PostgreSQL is
# the one at $BENCH_PG (default 127.0.0.1:5432, user postgres); the database viaduc_bench is
# recreated. Each scenario runs $BENCH_REPEAT times (default 3). Raw results (one JSON line
# per run) go to target/bench/results.jsonl. Usage: tests/load/bench.sh [scenario ...]
# (panel fanout fanout-viaduc idle storm nodes votes reactions ballots dbload boards synthesis import; fanout-viaduc is fanout without the floor and
# socket.io). BENCH_VIADUC names another server binary, BENCH_RESULTS another results file.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

repeat=${BENCH_REPEAT:-3}
pg=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
db_url="$pg/viaduc_bench"
out=target/bench
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(panel fanout idle storm nodes votes reactions ballots dbload boards)
mkdir -p "$out"
results=${BENCH_RESULTS:-$out/results.jsonl}
: >"$results"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
# 10,000 connections need as many file descriptors on both sides.
ulimit -n "$(ulimit -Hn)"

# BENCH_VIADUC: another server binary to measure (e.g. an earlier commit's, as a baseline);
# BENCH_LOAD another load generator. With both given, nothing is built.
viaduc=${BENCH_VIADUC:-target/release/viaduc}
load=(taskset -c 1 "${BENCH_LOAD:-target/release/viaduc-load}")
if [ -z "${BENCH_VIADUC:-}" ] || [ -z "${BENCH_LOAD:-}" ]; then
  step "building (release)"
  ensure_node
  npm_install frontend
  [ -f frontend/dist/index.html ] || (cd frontend && npm run build)
  SQLX_OFFLINE=true cargo build --release -p viaduc -p viaduc-load
fi

fresh_database() {
  psql -q "$pg/postgres" -c "drop database if exists viaduc_bench with (force)" -c "create database viaduc_bench"
  DATABASE_URL=$db_url $viaduc demo >/dev/null
}

# start_node PORT: a Viaduc node on CPU 0; its pid is left in $node.
start_node() {
  local port=$1
  DATABASE_URL=$db_url RUST_LOG=warn taskset -c 0 $viaduc serve --bind "127.0.0.1:$port" \
    >"$out/node-$port.log" 2>&1 &
  node=$!
  pids+=("$node")
  wait_ready "$port"
}

wait_ready() {
  for _ in $(seq 300); do
    curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return
    sleep 0.1
  done
  echo "node on port $1 did not start" >&2
  exit 1
}

# supervise_node PORT ARGS...: a node on CPU 0 started again whenever it dies (as systemd's
# Restart=always would), with `viaduc serve ARGS` (`--database-url URL`, or `--data-dir DIR`
# for the embedded PostgreSQL); the running node's pid is kept in
# $out/node-PORT.pid. stop_supervised PORT ends both.
supervise_node() {
  local port=$1
  shift
  rm -f "$out/node-$port.stop"
  (
    while [ ! -f "$out/node-$port.stop" ]; do
      env -u DATABASE_URL RUST_LOG=warn taskset -c 0 $viaduc serve --bind "127.0.0.1:$port" "$@" >>"$out/node-$port.log" 2>&1 &
      echo $! >"$out/node-$port.pid"
      wait $! || true
    done
  ) &
  pids+=("$!")
  supervisor=$!
  wait_ready "$port"
}

stop_supervised() {
  touch "$out/node-$1.stop"
  kill "$(cat "$out/node-$1.pid")" 2>/dev/null || true
  wait "$supervisor" 2>/dev/null || true
}

stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

# once LABEL ARGS...: one run of the load generator, its result appended to $results.
once() {
  local label=$1
  shift
  "${load[@]}" "$@" --label "$label" --json "$results" || echo "run $label failed"
}

# viaduc_runs LABEL ARGS...: $repeat runs, each against a freshly started node, so that
# memory figures start from a clean process.
viaduc_runs() {
  local label=$1
  shift
  for _ in $(seq "$repeat"); do
    start_node 18080
    once "$label" "$@" --url ws://127.0.0.1:18080/ws --database-url "$db_url" --server-pid "$node"
    stop "$node"
  done
}

# socketio_runs DIR LABEL ARGS...: the same against a fresh socket.io server from DIR.
socketio_runs() {
  local dir=$1 label=$2
  shift 2
  for _ in $(seq "$repeat"); do
    PORT=13000 taskset -c 0 node "$dir/server.mjs" >"$out/socketio.log" 2>&1 &
    local pid=$!
    pids+=("$pid")
    sleep 1
    once "$label" "$@" --socketio --url ws://127.0.0.1:13000 --server-pid "$pid"
    stop "$pid"
  done
}

for scenario in "${scenarios[@]}"; do
  case $scenario in
  panel)
    step "1. 900 attendees in one panel room, 50 messages/s"
    fresh_database
    viaduc_runs panel-900 chat --clients 850 --senders 50 --rate 50 --seconds 20
    ;;
  fanout | fanout-viaduc)
    # fanout-viaduc: only Viaduc's runs (to compare two builds of it in one session).
    if [ "$scenario" = fanout ]; then
      step "2. fan-out floor: one thread on CPU 0 writing 450-byte frames to 1,000 loopback sockets"
      for rate in 10 50 100; do
        for _ in $(seq "$repeat"); do
          once "fanout-floor-$rate" floor --sockets 1000 --rate "$rate" --size 450 --seconds 15
        done
      done
    fi
    step "2. fan-out to 1,000 subscribers: Viaduc"
    fresh_database
    for rate in 10 50 100; do
      viaduc_runs "fanout-viaduc-$rate" chat --clients 990 --senders 10 --rate "$rate" --size 200 --seconds 15
    done
    [ "$scenario" = fanout ] || continue
    step "2. fan-out to 1,000 subscribers: socket.io 4 (installed into a temporary directory)"
    sio=$(mktemp -d /tmp/viaduc-bench-socketio.XXXXXX)
    (cd "$sio" && npm init -y >/dev/null && npm install --no-audit --no-fund socket.io@4 >/dev/null)
    cp tests/load/socketio/server.mjs "$sio/"
    for rate in 10 50 100; do
      socketio_runs "$sio" "fanout-socketio-$rate" chat --clients 990 --senders 10 --rate "$rate" --size 200 --seconds 15
    done
    rm -rf "$sio"
    ;;
  idle)
    step "3. 10,000 idle connections from 4 source addresses"
    fresh_database
    viaduc_runs idle-10k idle --clients 10000 --source 127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.4
    ;;
  storm)
    step "4. reconnect storm: 900 listeners dropped at once"
    fresh_database
    viaduc_runs storm-900 chat --clients 900 --senders 10 --rate 50 --seconds 16 --storm-after 8
    ;;
  nodes)
    step "5. a second node: the same panel on one node, then across two"
    fresh_database
    start_node 18080
    first=$node
    start_node 18081
    second=$node
    for _ in $(seq "$repeat"); do
      for layout in one two; do
        send_url=ws://127.0.0.1:18080/ws
        [ "$layout" = two ] && send_url=ws://127.0.0.1:18081/ws
        once "nodes-$layout" chat --url ws://127.0.0.1:18080/ws \
          --send-url "$send_url" --database-url "$db_url" --server-pid "$first" --server-pid "$second" \
          --clients 850 --senders 50 --rate 50 --seconds 15
      done
    done
    stop "$first"
    stop "$second"
    ;;
  votes)
    step "6. vote storms: 900 attendees upvote one question, then answer one poll, within 2 s"
    fresh_database
    viaduc_runs upvote-storm-900 vote --clients 900 --window 2
    viaduc_runs poll-storm-900 vote --clients 900 --window 2 --poll
    # The same with ten more attendees chatting at 50 messages a second in the room.
    viaduc_runs upvote-storm-chat-900 vote --clients 900 --window 2 --chat-rate 50
    viaduc_runs poll-storm-chat-900 vote --clients 900 --window 2 --poll --chat-rate 50
    ;;
  reactions)
    step "7. reactions: 900 attendees react every second for 10 s, alone and with chat at 50/s beside"
    fresh_database
    # Taken in turn, one run of each at a time, so the machine's drift hits both alike.
    runs=$repeat
    repeat=1
    # The reactions' own cost against 900 idle attendees; then the chat at 50/s beside them,
    # against the chat alone.
    for _ in $(seq "$runs"); do
      viaduc_runs idle-900 react --clients 900 --rate 0 --duration 10 --chat-rate 0
      viaduc_runs reactions-alone-900 react --clients 900 --rate 1 --duration 10 --chat-rate 0
      viaduc_runs chat-alone-900 react --clients 900 --rate 0 --duration 10 --chat-rate 50
      viaduc_runs reactions-chat-900 react --clients 900 --rate 1 --duration 10 --chat-rate 50
      # The floor: a server doing nothing but this storm's socket I/O, on the same core.
      once echo-floor-900 echo-floor --sockets 900 --seconds 10
    done
    repeat=$runs
    ;;
  ballots)
    step "8. ballot storms: 900 voters within 3 s, then the board checked"
    fresh_database
    viaduc_runs ballots-900 ballots --voters 900 --window 3
    viaduc_runs ballots-drops-900 ballots --voters 900 --window 3 --drop-rate 0.2
    step "8. the same with the server killed (SIGKILL) and restarted halfway through"
    fresh_database
    for _ in $(seq "$repeat"); do
      supervise_node 18082 --database-url "$db_url"
      once ballots-server-restart-900 ballots --voters 900 --window 3 --drop-rate 0.2 \
        --url ws://127.0.0.1:18082/ws --database-url "$db_url" \
        --during "kill -KILL \$(cat $out/node-18082.pid)"
      stop_supervised 18082
    done
    step "8. the same with PostgreSQL restarted (pg_ctl restart -m immediate) halfway through"
    # A private cluster, the embedded one (the shared server must not be restarted); as
    # root it belongs to the postgres user, who must run pg_ctl.
    data=/tmp/viaduc-bench-pg
    as_owner=()
    [ "$(id -u)" = 0 ] && as_owner=(runuser -u postgres --)
    embedded_url="postgres://viaduc@localhost/viaduc?host=$data/run"
    for _ in $(seq "$repeat"); do
      rm -rf "$data"
      env -u DATABASE_URL $viaduc demo --data-dir "$data" >/dev/null
      supervise_node 18083 --data-dir "$data"
      once ballots-postgres-restart-900 ballots --voters 900 --window 3 --drop-rate 0.2 \
        --url ws://127.0.0.1:18083/ws --database-url "$embedded_url" \
        --during "${as_owner[*]} $(pg_bin)/pg_ctl restart -D $data/postgres -m immediate -w -l $data/run/postgres.log >/dev/null"
      stop_supervised 18083
    done
    ;;
  dbload)
    step "9. chat at 50/s to 900 screens: alone, beside pgbench's 450 upvote-shaped transactions/s, beside an upvote storm"
    fresh_database
    floor_db="$pg/viaduc_bench_floor"
    psql -q "$pg/postgres" -c "drop database if exists viaduc_bench_floor with (force)" -c "create database viaduc_bench_floor"
    psql -q "$floor_db" -f tests/load/pgbench/setup.sql
    runs=$repeat
    repeat=1
    for _ in $(seq "$runs"); do
      viaduc_runs chat-alone-900 react --clients 900 --rate 0 --duration 10 --chat-rate 50
      # pgbench on the load generator's core, for longer than the run's connect and storm.
      taskset -c 1 "$(pg_bin)/pgbench" -n -f tests/load/pgbench/vote.sql -R 450 -c 20 -j 1 -T 40 \
        "$floor_db" >>"$out/pgbench.log" 2>&1 &
      pgbench=$!
      viaduc_runs chat-beside-pgbench-900 react --clients 900 --rate 0 --duration 10 --chat-rate 50
      # Its report (the rate it kept, its latency) goes to pgbench.log before the next run.
      wait "$pgbench" || echo "pgbench failed: see $out/pgbench.log"
      viaduc_runs upvote-storm-chat-900 vote --clients 900 --window 2 --chat-rate 50
    done
    repeat=$runs
    ;;
  boards)
    step "10. breakouts: 15 boards x 60 participants, each acting every 2 s for 20 s; and the floor: the same as chat messages"
    fresh_database
    runs=$repeat
    repeat=1
    for _ in $(seq "$runs"); do
      viaduc_runs boards-15x60 boards --boards 15 --per-board 60 --interval 2 --duration 20
      viaduc_runs boards-chat-floor-15x60 boards --boards 15 --per-board 60 --interval 2 --duration 20 --chat-floor
    done
    repeat=$runs
    ;;
  synthesis)
    step "11. the synthesis editor: 5 writers typing 5 characters/s each for 20 s, 25 more people watching"
    fresh_database
    viaduc_runs synthesis-5x5 synthesis --writers 5 --rate 5 --readers 25 --duration 20
    ;;
  import)
    step "12. registrations: a CSV of 5,000 people imported into the demo conference, each a new account with an invitation"
    python3 - "$out/import-5000.csv" <<'PY'
import sys
countries = ["BE", "FR", "NL", "DE", "LU", "IT", "ES", "PT", "PL", "AT"]
with open(sys.argv[1], "w") as f:
    f.write("email,name,organisation,cluster,country,language\n")
    for n in range(5000):
        f.write(f"person{n}@import.example,Person {n},Organisation {n % 700},Cluster {n % 90},{countries[n % 10]},{['en', 'fr', 'nl', 'de'][n % 4]}\n")
PY
    for _ in $(seq "$repeat"); do
      fresh_database
      start_node 18080
      access=$(curl -s -o /dev/null -D - -H 'content-type: application/json' \
        -d '{"email":"organiser@demo.viaduc.eu","password":"viaduc-demo-2026"}' http://127.0.0.1:18080/api/auth/login |
        grep -i '^set-cookie: viaduc_access=' | sed 's/^[^=]*=\([^;]*\);.*/\1/')
      seconds=$(curl -s -o "$out/import.json" -w '%{time_total}' -b "viaduc_access=$access" \
        -H 'content-type: text/csv' --data-binary @"$out/import-5000.csv" \
        http://127.0.0.1:18080/api/conferences/ecc-2026/registrations/import)
      mails=$(psql -tA "$db_url" -c "select count(*) from outbox")
      python3 - "$seconds" "$out/import.json" "$mails" >>"$results" <<'PY'
import json, sys
seconds, report, mails = float(sys.argv[1]), json.load(open(sys.argv[2])), int(sys.argv[3])
metric = lambda name, value, unit="": {"name": name, "value": value, "unit": unit}
print(json.dumps({"label": "import-5000", "scenario": "import", "parameters": {"rows": 5000}, "metrics": [
    metric("import time", seconds * 1000, "ms"),
    metric("registered", report["registered"]),
    metric("accounts created", report["accounts_created"]),
    metric("approved", report["approved"]),
    metric("waitlisted", report["waitlisted"]),
    metric("e-mails in the outbox", mails),
]}))
PY
      stop "$node"
    done
    ;;
  *)
    echo "unknown scenario $scenario (panel fanout idle storm nodes votes reactions ballots dbload boards synthesis import)" >&2
    exit 2
    ;;
  esac
done

step "medians over $repeat runs"
"${load[@]}" summary "$results"
