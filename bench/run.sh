#!/usr/bin/env bash
# Parapet's benchmark: each scenario against a bare ASP.NET Core floor measured in the same run; server pinned to CPU 0, load
# generator (wrk, or bench/Flow for the full flow) on CPU 1. Prints the figures and writes bench/results/latest.md.
#
#   bench/run.sh                                   # all scenarios, ~21 minutes with the build
#   SCENARIOS=sqlite bench/run.sh                  # POST /par on SQLite (floor/Parapet pairs) + a perf profile of the server
#   SCENARIOS=postgres,two-nodes bench/run.sh      # POST /par on PostgreSQL, one node, then two nodes behind nginx
#   SCENARIOS=flow bench/run.sh                    # push → authorize (with a session) → token, flows/s and time per step
#   SCENARIOS=million bench/run.sh                 # POST /par and the claim with 1,000,000 pushed requests stored
#   SCENARIOS=auth-methods bench/run.sh            # POST /par with each client-authentication method, against client_secret_basic
#   WARMUP=5 DURATION=15 CONNECTIONS=32 SKIP_BUILD=1 bench/run.sh
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/bench/out
RESULTS=$ROOT/bench/results
SCENARIOS=${SCENARIOS:-sqlite,postgres,two-nodes,flow,million,auth-methods}
WARMUP=${WARMUP:-5}             # claim runs (their request URIs are counted out for it) and auth-methods after the first method
PAR_WARMUP=${PAR_WARMUP:-30}    # POST /par runs and the first auth method: the tiered JIT's ramp on one core is ~15 s (bench/README.md)
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-32}
WRK_THREADS=${WRK_THREADS:-1}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
PAR_PAIRS=${PAR_PAIRS:-3}       # sqlite: floor/Parapet pairs for the target's ratios (the run's own is the first); median reported
# The floor is measured at its full speed: without a short call-counting delay the tiered JIT waits for a quiet spell before
# optimising the hot methods, which one busy core may not give it within the warm-up, and the floor was then measured at
# 35-46 k req/s instead of 48-50 k (bench/README.md, session 7) -- flattering every ratio. Parapet starts with the same delay.
FLOOR_RUNTIME=DOTNET_TC_CallCountingDelayMs=0x10
FLOW_WORKERS=${FLOW_WORKERS:-16}
FLOW_SERIAL=${FLOW_SERIAL:-5}
FLOW_WARMUP=${FLOW_WARMUP:-30}   # the flow runs three endpoints' worth of code through the tiered JIT
MILLION_ROWS=${MILLION_ROWS:-1000000}
CLAIM_POOL=${CLAIM_POOL:-120000}   # million: request URIs per claim instance (a quarter warm-up, the rest measured: 15 s at up to 6 000/s)
# million: claim instances per side. One claim instance in four or five runs ~25 % slower than the others (3 180-3 417 against
# 3 650-4 550 claims/s, the CPU per claim 285-307 µs against 217-250: bench/README.md, session 11), so with three a side the
# medians of the two sides differed by up to 27 % between stores that measure alike; the median of seven is off only when four
# are slow.
CLAIM_INSTANCES=${CLAIM_INSTANCES:-7}
CLIENT_ID=bench-client
CLIENT_SECRET=bench-secret-0123456789-abcdefghijklmnop
REDIRECT_URI=https://client.example.org/cb
export PAR_CLIENT_ID=$CLIENT_ID PAR_CLIENT_SECRET=$CLIENT_SECRET PAR_REDIRECT_URI=$REDIRECT_URI AUTHORIZE_CLIENT_ID=$CLIENT_ID AUTHORIZE_THREADS=$WRK_THREADS
mkdir -p "$OUT" "$RESULTS"
LOGS=$(mktemp -d /tmp/parapet-bench-logs.XXXXXX)
SECTIONS=$LOGS/sections.md
SUMMARY=$LOGS/summary.md
: >"$SECTIONS"
: >"$SUMMARY"
BAD_TOTAL=0

# shellcheck source=bench/lib.sh
. bench/lib.sh
trap cleanup EXIT
has() { [[ ",$SCENARIOS," == *",$1,"* ]]; }
for s in ${SCENARIOS//,/ }; do
  [ -f "bench/scenarios/$s.sh" ] || { echo "unknown scenario '$s' (sqlite, postgres, two-nodes, flow, million, auth-methods)" >&2; exit 2; }
done

# --- tools ------------------------------------------------------------------------------------------------------------
apt_install() {
  log "installing $* (Debian packages)"
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq "$@" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$@" >/dev/null; }
  else sudo apt-get install -y -qq "$@" >/dev/null; fi
}
command -v wrk >/dev/null 2>&1 || apt_install wrk
if has sqlite && ! command -v perf >/dev/null 2>&1; then apt_install linux-perf; fi
if has two-nodes && ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then apt_install nginx-light; fi
if has postgres || has two-nodes; then
  [ -x "$PG_BIN/initdb" ] || apt_install postgresql-15
  [ "$(id -u)" = 0 ] || { echo "the PostgreSQL scenarios run initdb/pg_ctl as the postgres user with runuser: run as root" >&2; exit 1; }
fi
for tool in curl jq taskset psql python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool" >&2; exit 1; }
done

# --- build (Release) --------------------------------------------------------------------------------------------------
if [ -z "${SKIP_BUILD:-}" ]; then
  log "building Release: server, floor, flow"
  dotnet publish src/Parapet -c Release -o "$OUT/parapet" -v quiet -nologo >"$LOGS/build-parapet.log" 2>&1 || { cat "$LOGS/build-parapet.log"; exit 1; }
  dotnet publish bench/Floor -c Release -o "$OUT/floor" -v quiet -nologo >"$LOGS/build-floor.log" 2>&1 || { cat "$LOGS/build-floor.log"; exit 1; }
  if has flow || has million || has auth-methods; then
    dotnet publish bench/Flow -c Release -o "$OUT/flow" -v quiet -nologo >"$LOGS/build-flow.log" 2>&1 || { cat "$LOGS/build-flow.log"; exit 1; }
  fi
  # What was built, for the report: with SKIP_BUILD=1 the binaries may be older than the checkout.
  echo "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench 2>/dev/null || echo ' (with uncommitted changes)')" >"$OUT/built-from"
fi
BUILT_FROM=$(cat "$OUT/built-from" 2>/dev/null || echo "unknown (built before bench/out/built-from existed)")

LOAD_BEFORE=$(uptime)
TOP_BEFORE=$(top -bn1 -w 200 | sed -n '7,12p')
START_TIME=$(date +%s)

# --- the floor, once per run, for every scenario that needs it ----------------------------------------------------------
start_floor FLOOR 18181 "$FLOOR_RUNTIME"
FLOOR_LOAD=$(load_now)
FLOOR=$(measure floor "$FLOOR_URL" /par par.lua "$LOAD_CPU" "server:$FLOOR_PID")
FLOOR_RSS=$(vmhwm_mb "$FLOOR_PID")
note_bad "$(field "$FLOOR" bad)"
if has million; then
  # The floor does not look request URIs up; any well-formed ones do.
  for _ in $(seq 1 1000); do echo "urn:ietf:params:oauth:request_uri:$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"; done >"$LOGS/floor-refs.txt"
  FLOOR_CLAIM=$(AUTHORIZE_REFS=$LOGS/floor-refs.txt measure floor-claim "$FLOOR_URL" "" authorize.lua "$LOAD_CPU" "server:$FLOOR_PID")
  FLOOR_CLAIM_RSS=$(vmhwm_mb "$FLOOR_PID")
  note_bad "$(field "$FLOOR_CLAIM" bad)"
fi
if has flow; then
  log "floor-flow: ${FLOW_WARMUP}s warm-up + ${DURATION}s, ${FLOW_WORKERS} workers"
  FLOOR_FLOW=$(taskset -c "$LOAD_CPU" "$OUT/flow/flow" run --url "$FLOOR_URL" --client-id "$CLIENT_ID" --client-secret "$CLIENT_SECRET" \
    --redirect-uri "$REDIRECT_URI" --cookie "parapet.session=floor" --workers "$FLOW_WORKERS" --warmup "$FLOW_WARMUP" --seconds "$DURATION" \
    --serial-seconds "$FLOW_SERIAL" --server-pids "$FLOOR_PID" --clk-tck "$(getconf CLK_TCK)" 2>"$LOGS/floor-flow.txt") \
    || { cat "$LOGS/floor-flow.txt" >&2; exit 1; }
  FLOOR_FLOW_RSS=$(vmhwm_mb "$FLOOR_PID")
  note_bad "$(field "$FLOOR_FLOW" errors)"
fi
stop "$FLOOR_PID"
F_RPS=$(field "$FLOOR" rps)
F_CPU=$(field "$FLOOR" server_cpu_us_per_req)

# --- the scenarios, in a fixed order --------------------------------------------------------------------------------------
for s in sqlite postgres two-nodes flow million auth-methods; do
  if has "$s"; then
    SCENARIO_LOAD_BEFORE=$(load_now)
    # shellcheck source=/dev/null
    . "bench/scenarios/$s.sh"
  fi
  # PostgreSQL's files leave the page cache once the scenarios on it are done (see new_data_dir in bench/lib.sh).
  if [ "$s" = two-nodes ]; then pg_stop; fi
done
pg_stop
LOAD_AFTER=$(uptime)
ELAPSED=$(( $(date +%s) - START_TIME ))

# --- report -----------------------------------------------------------------------------------------------------------
REPORT=$(cat <<EOF
# Parapet benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')

Machine: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(dotnet --version 2>/dev/null | sed 's/^/.NET SDK /'), binaries built from commit $BUILT_FROM.
Scenarios: $SCENARIOS. Server on CPU $SERVER_CPU, load generator on CPU $LOAD_CPU (unless a scenario says otherwise); warm-up ${PAR_WARMUP}s for POST /par (${WARMUP}s for claims), ${DURATION}s measured per run; wrk $WRK_THREADS thread, $CONNECTIONS connections; client_secret_basic, state/nonce vary per request.
Measured part of the run: ${ELAPSED}s.

Load before: \`$LOAD_BEFORE\`
Load after: \`$LOAD_AFTER\` (2 cores: a load average well above 2 means other work shared the CPUs; "other work" in the tables is the
CPU the rest of the machine took during each measured run, in % of one core, out of 200 %.)

## Summary (each against the floor of this run)

| scenario | Parapet | floor | ratio | load average (1/5/15 min) at the start |
| --- | ---: | ---: | ---: | --- |
$(cat "$SUMMARY")

## Floor (bare ASP.NET Core, no storage)

$WRK_HEADER
$(wrk_row "floor POST /par" "$FLOOR" "$FLOOR_RSS")$(if has million; then printf '\n'; wrk_row "floor GET /authorize (no session: 302 to login)" "$FLOOR_CLAIM" "$FLOOR_CLAIM_RSS"; fi)

Load average at the floor's start: $FLOOR_LOAD.

$(cat "$SECTIONS")

<details><summary>Busiest processes before the run</summary>

\`\`\`
$TOP_BEFORE
\`\`\`
</details>
EOF
)
printf '%s\n' "$REPORT" >"$RESULTS/latest.md"
printf '%s\n' "$REPORT"
if [ "$BAD_TOTAL" -ne 0 ]; then
  echo "FAIL: $BAD_TOTAL unexpected answers or flow errors (see $LOGS)" >&2
  exit 1
fi
log "written $RESULTS/latest.md (logs in $LOGS)"
