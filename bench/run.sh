#!/usr/bin/env bash
# POST /par benchmark: Parapet against a bare ASP.NET Core floor, server pinned to CPU 0, wrk to CPU 1,
# then an in-process step profile. Prints the figures and writes them to bench/results/latest.md.
#
#   bench/run.sh                      # ~2-3 minutes
#   WARMUP=5 DURATION=15 CONNECTIONS=32 bench/run.sh
#   SKIP_BUILD=1 bench/run.sh         # reuse bench/out
#   TRACE=1 bench/run.sh              # also sample the in-process profiler with dotnet-trace (NuGet tool, into bench/out/tools)
#                                     # and write the top inclusive methods to bench/results/trace-topN.txt (+~15 s)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/bench/out
RESULTS=$ROOT/bench/results
WARMUP=${WARMUP:-5}
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-32}
WRK_THREADS=${WRK_THREADS:-1}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
PROFILE_ITERATIONS=${PROFILE_ITERATIONS:-10000}
CLIENT_ID=bench-client
CLIENT_SECRET=bench-secret-0123456789-abcdefghijklmnop
REDIRECT_URI=https://client.example.org/cb
mkdir -p "$OUT" "$RESULTS"
LOGS=$(mktemp -d /tmp/parapet-bench-logs.XXXXXX)

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- tools ------------------------------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk (Debian package)"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; else sudo apt-get install -y -qq wrk >/dev/null; fi
fi
for tool in curl jq taskset; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool" >&2; exit 1; }
done

# --- build (Release) --------------------------------------------------------------------------------------------------
if [ -z "${SKIP_BUILD:-}" ]; then
  log "building Release: server, floor, profiler"
  dotnet publish src/Parapet -c Release -o "$OUT/parapet" -v quiet -nologo >"$LOGS/build-parapet.log" 2>&1 || { cat "$LOGS/build-parapet.log"; exit 1; }
  dotnet publish bench/Floor -c Release -o "$OUT/floor" -v quiet -nologo >"$LOGS/build-floor.log" 2>&1 || { cat "$LOGS/build-floor.log"; exit 1; }
  dotnet publish bench/Profile -c Release -o "$OUT/profile" -v quiet -nologo >"$LOGS/build-profile.log" 2>&1 || { cat "$LOGS/build-profile.log"; exit 1; }
fi

# --- process handling (only the PIDs this script started) ------------------------------------------------------------
STARTED=()
DATA_DIR=""
cleanup() {
  for pid in "${STARTED[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${STARTED[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$DATA_DIR" ] && rm -rf "$DATA_DIR"
  return 0
}
trap cleanup EXIT

free_port() {
  local port=$1
  while ss -ltnH "sport = :$port" | grep -q .; do port=$((port + 1)); done
  echo "$port"
}

wait_healthy() { # url pid
  for _ in $(seq 1 150); do
    curl -fs "$1/health" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { echo "server exited during start-up" >&2; return 1; }
    sleep 0.2
  done
  echo "server did not become healthy at $1" >&2
  return 1
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

vmhwm_mb() { awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# wrk on LOAD_CPU: warm-up run (discarded), then the measured run; echoes the RESULT line, extended with the server's CPU
# use over the measured run (from /proc/PID/stat) and wrk's own CPU use (to show the load generator is not the limit).
measure() { # name url server-pid
  local name=$1 url=$2 pid=$3 before after hz
  hz=$(getconf CLK_TCK)
  log "$name: warm-up ${WARMUP}s"
  PAR_CLIENT_ID=$CLIENT_ID PAR_CLIENT_SECRET=$CLIENT_SECRET PAR_REDIRECT_URI=$REDIRECT_URI \
    taskset -c "$LOAD_CPU" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 5s -s bench/wrk/par.lua "$url/par" \
    >"$LOGS/$name-warmup.txt" 2>&1
  log "$name: measuring ${DURATION}s, $CONNECTIONS connections"
  before=$(cpu_ticks "$pid")
  PAR_CLIENT_ID=$CLIENT_ID PAR_CLIENT_SECRET=$CLIENT_SECRET PAR_REDIRECT_URI=$REDIRECT_URI \
    /usr/bin/time -f 'WRKCPU %U %S %e' -o "$LOGS/$name-wrk-time.txt" \
    taskset -c "$LOAD_CPU" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s -s bench/wrk/par.lua "$url/par" \
    >"$LOGS/$name-wrk.txt" 2>&1
  after=$(cpu_ticks "$pid")
  grep '^non-201' "$LOGS/$name-wrk.txt" >&2 || true
  local result
  result=$(grep '^RESULT' "$LOGS/$name-wrk.txt") || { cat "$LOGS/$name-wrk.txt" >&2; return 1; }
  awk -v r="$result" -v b="$before" -v a="$after" -v hz="$hz" '
    /^WRKCPU/ {
      split(r, kv, " "); for (i in kv) { split(kv[i], p, "="); f[p[1]] = p[2] }
      server = (a - b) / hz; wall = f["seconds"]
      printf "%s server_cpu_pct=%.0f server_cpu_us_per_req=%.1f wrk_cpu_pct=%.0f\n", r, 100 * server / wall, 1e6 * server / f["requests"], 100 * ($2 + $3) / $4
    }' "$LOGS/$name-wrk-time.txt"
}

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

LOAD_BEFORE=$(uptime)
TOP_BEFORE=$(top -bn1 -w 200 | sed -n '7,12p')

# --- floor ------------------------------------------------------------------------------------------------------------
FLOOR_PORT=$(free_port 18181)
FLOOR_URL=http://127.0.0.1:$FLOOR_PORT
taskset -c "$SERVER_CPU" "$OUT/floor/floor" "$FLOOR_URL" >"$LOGS/floor.log" 2>&1 &
FLOOR_PID=$!
STARTED+=("$FLOOR_PID")
wait_healthy "$FLOOR_URL" "$FLOOR_PID"
FLOOR=$(measure floor "$FLOOR_URL" "$FLOOR_PID")
FLOOR_RSS=$(vmhwm_mb "$FLOOR_PID")
stop "$FLOOR_PID"

# --- Parapet ----------------------------------------------------------------------------------------------------------
DATA_DIR=$(mktemp -d /tmp/parapet-bench-data.XXXXXX)
PARAPET_PORT=$(free_port 18281)
PARAPET_URL=http://127.0.0.1:$PARAPET_PORT
taskset -c "$SERVER_CPU" "$OUT/parapet/parapet" serve --data-dir "$DATA_DIR" --urls "$PARAPET_URL" >"$LOGS/parapet.log" 2>&1 &
PARAPET_PID=$!
STARTED+=("$PARAPET_PID")
wait_healthy "$PARAPET_URL" "$PARAPET_PID" || { cat "$LOGS/parapet.log" >&2; exit 1; }

ADMIN_ID=$(jq -r .client_id "$DATA_DIR/admin-credentials.json")
ADMIN_SECRET=$(jq -r .client_secret "$DATA_DIR/admin-credentials.json")
TOKEN=$(curl -fsS -u "$ADMIN_ID:$ADMIN_SECRET" -d grant_type=client_credentials -d scope=parapet.admin "$PARAPET_URL/token" | jq -r .access_token)
[ -n "$TOKEN" ] && [ "$TOKEN" != null ] || { echo "no admin token" >&2; exit 1; }
curl -fsS -o "$LOGS/client.json" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"client_id\":\"$CLIENT_ID\",\"client_secret\":\"$CLIENT_SECRET\",\"redirect_uris\":[\"$REDIRECT_URI\"],\"token_endpoint_auth_method\":\"client_secret_basic\"}" \
  "$PARAPET_URL/admin/v1/clients"
# One request by hand, so a misconfigured client fails loudly here rather than as 30 000 non-201s.
STATUS=$(curl -s -o "$LOGS/par-check.json" -w '%{http_code}' -u "$CLIENT_ID:$CLIENT_SECRET" \
  --data-urlencode response_type=code --data-urlencode "redirect_uri=$REDIRECT_URI" --data-urlencode 'scope=openid profile' \
  --data-urlencode state=check --data-urlencode nonce=check --data-urlencode code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM \
  --data-urlencode code_challenge_method=S256 "$PARAPET_URL/par")
[ "$STATUS" = 201 ] || { echo "check POST /par answered $STATUS: $(cat "$LOGS/par-check.json")" >&2; exit 1; }

PARAPET=$(measure parapet "$PARAPET_URL" "$PARAPET_PID")
PARAPET_RSS=$(vmhwm_mb "$PARAPET_PID")
stop "$PARAPET_PID"
DB_MB=$(du -sm "$DATA_DIR" | cut -f1)
LOAD_AFTER=$(uptime)

# --- in-process step profile (CPU 0, nothing else of ours running) ----------------------------------------------------
F_RPS=$(field "$FLOOR" rps)
P_RPS=$(field "$PARAPET" rps)
F_CPU=$(field "$FLOOR" server_cpu_us_per_req)
P_CPU=$(field "$PARAPET" server_cpu_us_per_req)
log "profiling the steps in-process ($PROFILE_ITERATIONS iterations)"
PROFILE=$(taskset -c "$SERVER_CPU" "$OUT/profile/par-profile" --iterations "$PROFILE_ITERATIONS" --warmup 3000 --floor-us "$F_CPU" --parapet-us "$P_CPU")

if [ -n "${TRACE:-}" ]; then
  [ -x "$OUT/tools/dotnet-trace" ] || dotnet tool install dotnet-trace --tool-path "$OUT/tools" >/dev/null
  log "sampling the profiler with dotnet-trace (dotnet-sampled-thread-time)"
  rm -f "$OUT/profile.nettrace"
  taskset -c "$SERVER_CPU" "$OUT/tools/dotnet-trace" collect --profile dotnet-sampled-thread-time -o "$OUT/profile.nettrace" \
    -- "$OUT/profile/par-profile" --iterations "$PROFILE_ITERATIONS" --warmup 3000 >"$LOGS/trace.log" 2>&1
  "$OUT/tools/dotnet-trace" report "$OUT/profile.nettrace" topN -n 150 --inclusive >"$RESULTS/trace-topN.txt" 2>&1
  log "trace: $OUT/profile.nettrace, top methods: $RESULTS/trace-topN.txt"
fi

# --- report -----------------------------------------------------------------------------------------------------------
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
row() { # name result rss
  printf '| %s | %.0f | %s | %s | %s | %s | %s | %s | %s%% | %s | %s%% |\n' "$1" "$(field "$2" rps)" "$(ms "$(field "$2" p50_us)")" \
    "$(ms "$(field "$2" p90_us)")" "$(ms "$(field "$2" p99_us)")" "$(field "$2" requests)" "$(field "$2" non201)" "$3" \
    "$(field "$2" server_cpu_pct)" "$(field "$2" server_cpu_us_per_req)" "$(field "$2" wrk_cpu_pct)"
}
REPORT=$(cat <<EOF
# POST /par benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')

Machine: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(dotnet --version 2>/dev/null | sed 's/^/.NET SDK /'), commit $(git rev-parse --short HEAD).
Server on CPU $SERVER_CPU, wrk ($WRK_THREADS thread, $CONNECTIONS connections) on CPU $LOAD_CPU; ${WARMUP}s warm-up, ${DURATION}s measured; client_secret_basic, state/nonce vary per request.

| server | requests/s | p50 ms | p90 ms | p99 ms | requests | non-201 | peak RSS MB (VmHWM) | server CPU | server CPU µs/request | wrk CPU |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$(row floor "$FLOOR" "$FLOOR_RSS")
$(row Parapet "$PARAPET" "$PARAPET_RSS")

**Parapet / floor:** throughput $(ratio "$P_RPS" "$F_RPS"), p50 latency $(ratio "$(field "$PARAPET" p50_us)" "$(field "$FLOOR" p50_us)")x, p99 latency $(ratio "$(field "$PARAPET" p99_us)" "$(field "$FLOOR" p99_us)")x, peak RSS $(ratio "$PARAPET_RSS" "$FLOOR_RSS")x, server CPU per request $(ratio "$P_CPU" "$F_CPU")x.
Parapet data directory after the run: ${DB_MB} MB. Socket errors: floor $(field "$FLOOR" sock_errors), Parapet $(field "$PARAPET" sock_errors).

Load before: \`$LOAD_BEFORE\`
Load after the HTTP runs: \`$LOAD_AFTER\` (2 cores: a load average well above 2 means other work shared the CPUs and the absolute figures are low; the ratios suffer less)

<details><summary>Busiest processes before the run</summary>

\`\`\`
$TOP_BEFORE
\`\`\`
</details>

## Where Parapet's time goes

$PROFILE
EOF
)
printf '%s\n' "$REPORT" >"$RESULTS/latest.md"
printf '%s\n' "$REPORT"
NON201=$(( $(field "$FLOOR" non201) + $(field "$PARAPET" non201) ))
if [ "$NON201" -ne 0 ]; then
  echo "FAIL: $NON201 non-201 responses (see $LOGS)" >&2
  exit 1
fi
log "written $RESULTS/latest.md (logs in $LOGS)"
