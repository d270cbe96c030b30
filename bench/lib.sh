# Shared functions of bench/run.sh and bench/scenarios/*.sh (sourced, not run). They only ever stop the processes this run
# started (their PIDs are in STARTED, the PostgreSQL cluster in PG_DIR).

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

STARTED=()
CLEANUP_DIRS=()
PG_DIR=""
cleanup() {
  for pid in "${STARTED[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${STARTED[@]}"; do wait "$pid" 2>/dev/null || true; done
  pg_stop
  for dir in "${CLEANUP_DIRS[@]}"; do rm -rf "$dir"; done
  return 0
}

free_port() {
  local port=$1
  while ss -ltnH "sport = :$port" | grep -q .; do port=$((port + 1)); done
  echo "$port"
}

wait_healthy() { # url pid
  for _ in $(seq 1 300); do
    curl -fs "$1/health" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { echo "server exited during start-up" >&2; return 1; }
    sleep 0.2
  done
  echo "server did not become healthy at $1" >&2
  return 1
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

vmhwm_mb() { awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# utime+stime of a process, plus the reaped children's (cutime+cstime) and the live children's: PostgreSQL's backends and
# nginx's workers are children of their postmaster/master.
tree_ticks() {
  local total=0 pid child
  for pid in "$@"; do
    total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    for child in $(pgrep -P "$pid" 2>/dev/null); do
      total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$child/stat" 2>/dev/null || echo 0)))
    done
  done
  echo "$total"
}

# Busy and total jiffies of the whole machine (all CPUs), to show how much of it other work took during a run.
machine_jiffies() { awk '/^cpu / { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6 }' /proc/stat; }

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

# Every measured server gets the same memory to grow into: a process on the load generator's CPU touches WARM_MEMORY_MB of
# fresh memory and exits. On the benchmark's VM freed memory stays backed by the host up to ~1 GB and any other page costs
# ~50 µs at its first touch (see new_data_dir), so without this a server's growth landed in warm or cold memory depending on
# what ran before it (a 1 M-row fill, a deleted store): POST /par at 42-48 µs per push instead of 38-43 (bench/README.md,
# session 10). Touching is what maps the pages in; freeing them leaves them backed for the server that starts next.
WARM_MEMORY_MB=${WARM_MEMORY_MB:-1024}
warm_memory() {
  taskset -c "$LOAD_CPU" python3 -c "
import mmap, sys
size = int(sys.argv[1]) << 20
m = mmap.mmap(-1, size)
for offset in range(0, size, 4096):
    m[offset] = 1
" "$WARM_MEMORY_MB"
}

# wrk: warm-up run (discarded), then the measured run. Echoes the RESULT line of the Lua script extended with the CPU use of
# each process group over the measured run, wrk's own, the whole machine's and so the share other work took.
#   measure NAME URL PATH LUA CPUS "server:PID[,PID] pg:PID nginx:PID"
# The "server" group is the one whose CPU per request is reported. The Lua script's environment is exported by the caller;
# AUTHORIZE_START_WARMUP / AUTHORIZE_START_MEASURED select disjoint request URIs for the claim runs.
measure() {
  local name=$1 url=$2 path=$3 lua=$4 cpus=$5 groups=$6 hz before after m_before m_after group label pids
  hz=$(getconf CLK_TCK)
  # POST /par runs warm up for PAR_WARMUP seconds in 5 s slices whose requests/s make the "ramp" field (the server from cold
  # to steady state); the claim runs keep WARMUP, since their request URIs are counted out for a 5 s warm-up.
  local warmup=$WARMUP slice ramp="" slice_rps
  [ "$lua" = par.lua ] && warmup=$PAR_WARMUP
  warm_memory
  log "$name: warm-up ${warmup}s"
  while [ "$warmup" -gt 0 ]; do
    slice=$(( warmup < 5 ? warmup : 5 ))
    AUTHORIZE_START=${AUTHORIZE_START_WARMUP:-1} \
      taskset -c "$cpus" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${slice}s" --timeout 5s -s "bench/wrk/$lua" "$url$path" \
      >"$LOGS/$name-warmup.txt" 2>&1
    slice_rps=$(sed -n 's/^RESULT.* rps=\([0-9]*\).*/\1/p' "$LOGS/$name-warmup.txt")
    ramp+="${ramp:+/}${slice_rps:-?}"
    warmup=$((warmup - slice))
  done
  log "$name: measuring ${DURATION}s, $CONNECTIONS connections"
  declare -A before_ticks=()
  for group in $groups; do pids=${group#*:}; before_ticks[$group]=$(tree_ticks ${pids//,/ }); done
  m_before=$(machine_jiffies)
  AUTHORIZE_START=${AUTHORIZE_START_MEASURED:-1} \
    /usr/bin/time -f 'WRKCPU %U %S %e' -o "$LOGS/$name-wrk-time.txt" \
    taskset -c "$cpus" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s -s "bench/wrk/$lua" "$url$path" \
    >"$LOGS/$name-wrk.txt" 2>&1
  m_after=$(machine_jiffies)
  local extra="" ours=0 server_ticks=0 ticks
  for group in $groups; do
    pids=${group#*:}
    ticks=$(( $(tree_ticks ${pids//,/ }) - ${before_ticks[$group]} ))
    label=${group%%:*}
    ours=$((ours + ticks))
    [ "$label" = server ] && server_ticks=$ticks
    [ "$label" != server ] && extra+=" ${label}_cpu_ticks=$ticks"
  done
  grep -E '^non-(201|302)' "$LOGS/$name-wrk.txt" >&2 || true
  local result
  result=$(grep '^RESULT' "$LOGS/$name-wrk.txt") || { cat "$LOGS/$name-wrk.txt" >&2; return 1; }
  awk -v r="$result" -v ramp="${ramp:-none}" -v st="$server_ticks" -v ours="$ours" -v extra="$extra" -v hz="$hz" -v mb="$m_before" -v ma="$m_after" '
    /^WRKCPU/ {
      split(r, kv, " "); for (i in kv) { split(kv[i], p, "="); f[p[1]] = p[2] }
      wall = f["seconds"]; split(mb, b, " "); split(ma, a, " ")
      wrk = $2 + $3
      machine = (a[1] - b[1]) / hz
      out = sprintf("%s ramp=%s server_cpu_pct=%.0f server_cpu_us_per_req=%.1f wrk_cpu_pct=%.0f machine_busy_pct=%.0f others_cpu_pct=%.0f",
        r, ramp, 100 * st / hz / wall, 1e6 * st / hz / f["requests"], 100 * wrk / $4, 100 * machine / wall,
        (machine - ours / hz - wrk > 0 ? 100 * (machine - ours / hz - wrk) / wall : 0))
      n = split(extra, e, " ")
      for (i = 1; i <= n; i++) { split(e[i], p, "="); lab = p[1]; sub(/_cpu_ticks$/, "", lab); out = out sprintf(" %s_cpu_pct=%.0f", lab, 100 * p[2] / hz / wall) }
      print out
    }' "$LOGS/$name-wrk-time.txt"
}

ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.3f", a / b }'; }

# One markdown row of a wrk result: name rps p50 p90 p99 requests bad rss server-cpu server-cpu-µs wrk-cpu machine others ramp
wrk_row() { # name result rss
  printf '| %s | %.0f | %s | %s | %s | %s | %s | %s | %s%% | %s | %s%% | %s%% | %s%% | %s |\n' "$1" "$(field "$2" rps)" \
    "$(ms "$(field "$2" p50_us)")" "$(ms "$(field "$2" p90_us)")" "$(ms "$(field "$2" p99_us)")" "$(field "$2" requests)" \
    "$(field "$2" bad)" "$3" "$(field "$2" server_cpu_pct)" "$(field "$2" server_cpu_us_per_req)" "$(field "$2" wrk_cpu_pct)" \
    "$(field "$2" machine_busy_pct)" "$(field "$2" others_cpu_pct)" "$(field "$2" ramp)"
}
WRK_HEADER='| run | requests/s | p50 ms | p90 ms | p99 ms | requests | bad | peak RSS MB | server CPU | server CPU µs/req | wrk CPU | machine busy (of 200 %) | other work | warm-up req/s per 5 s |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |'

section() { printf '%s\n' "$*" >>"$SECTIONS"; }
note_bad() { BAD_TOTAL=$((BAD_TOTAL + ${1:-0})); }
load_now() { uptime | sed 's/^.*load average: //'; }

# --- Parapet --------------------------------------------------------------------------------------------------------------
# start_parapet VAR_PREFIX CPU DATA_DIR [--db CONN]: starts `parapet serve` on a free port; sets ${PREFIX}_PID and ${PREFIX}_URL.
start_floor() { # prefix first-port [NAME=value ...]: the floor on the server CPU, with those environment variables
  local prefix=$1 port url pid
  port=$(free_port "$2")
  shift 2
  url=http://127.0.0.1:$port
  env "$@" taskset -c "$SERVER_CPU" "$OUT/floor/floor" "$url" >"$LOGS/floor-$prefix.log" 2>&1 &
  pid=$!
  STARTED+=("$pid")
  wait_healthy "$url" "$pid"
  printf -v "${prefix}_PID" '%s' "$pid"
  printf -v "${prefix}_URL" '%s' "$url"
}

start_parapet() {
  local prefix=$1 cpu=$2 data=$3 port url pid
  shift 3
  port=$(free_port $((18300 + RANDOM % 500)))
  url=http://127.0.0.1:$port
  taskset -c "$cpu" "$OUT/parapet/parapet" serve --data-dir "$data" --urls "$url" "$@" >>"$LOGS/parapet-$prefix.log" 2>&1 &
  pid=$!
  STARTED+=("$pid")
  wait_healthy "$url" "$pid" || { tail -30 "$LOGS/parapet-$prefix.log" >&2; return 1; }
  printf -v "${prefix}_PID" '%s' "$pid"
  printf -v "${prefix}_URL" '%s' "$url"
}

admin_token() { # url data-dir
  local id secret token
  id=$(jq -r .client_id "$2/admin-credentials.json")
  secret=$(jq -r .client_secret "$2/admin-credentials.json")
  token=$(curl -fsS -u "$id:$secret" -d grant_type=client_credentials -d scope=parapet.admin "$1/token" | jq -r .access_token)
  [ -n "$token" ] && [ "$token" != null ] || { echo "no admin token" >&2; return 1; }
  echo "$token"
}

# The benchmark client (client_secret_basic, one redirect URI, trusted: consent is skipped in the flow), then one push by
# hand so a misconfigured client fails loudly here rather than as 30 000 bad answers.
setup_client() { # url data-dir
  local token status
  token=$(admin_token "$1" "$2")
  curl -fsS -o "$LOGS/client.json" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"client_id\":\"$CLIENT_ID\",\"client_secret\":\"$CLIENT_SECRET\",\"redirect_uris\":[\"$REDIRECT_URI\"],\"token_endpoint_auth_method\":\"client_secret_basic\",\"trusted\":true}" \
    "$1/admin/v1/clients"
  check_push "$1"
}

check_push() { # url
  local status
  status=$(curl -s -o "$LOGS/par-check.json" -w '%{http_code}' -u "$CLIENT_ID:$CLIENT_SECRET" \
    --data-urlencode response_type=code --data-urlencode "redirect_uri=$REDIRECT_URI" --data-urlencode 'scope=openid profile' \
    --data-urlencode state=check --data-urlencode nonce=check --data-urlencode code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM \
    --data-urlencode code_challenge_method=S256 "$1/par")
  [ "$status" = 201 ] || { echo "check POST /par at $1 answered $status: $(cat "$LOGS/par-check.json")" >&2; return 1; }
}

# --- PostgreSQL -----------------------------------------------------------------------------------------------------------
# A throw-away cluster of Debian's PostgreSQL 15 in a temp dir, as the postgres user, on a free port, fsync and
# synchronous_commit left on (the defaults), max_connections=200, started on CPU(s) $1.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
pg_start() { # cpus
  [ -n "$PG_DIR" ] && return 0
  PG_DIR=$(mktemp -d /tmp/parapet-bench-pg.XXXXXX)
  chown postgres "$PG_DIR"
  PG_PORT=$(free_port 25432)
  log "PostgreSQL: initdb in $PG_DIR, port $PG_PORT, CPU(s) $1"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 >"$LOGS/pg-initdb.log" 2>&1
  cat >>"$PG_DIR/data/postgresql.auto.conf" <<EOF
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR'
max_connections = 200
fsync = on
synchronous_commit = on
EOF
  taskset -c "$1" runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w start >"$LOGS/pg-start.log" 2>&1 \
    || { cat "$PG_DIR/log" >&2; return 1; }
  PG_PID=$(head -1 "$PG_DIR/data/postmaster.pid")
}

pg_stop() {
  [ -z "$PG_DIR" ] && return 0
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}

pg_createdb() { psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE $1" >/dev/null; }
pg_dropdb() { psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "DROP DATABASE $1" >/dev/null; }

pg_conn() { echo "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$1"; }

# Moves the postmaster and every backend to CPU(s) $1 (new backends inherit the postmaster's mask).
pg_pin() {
  local pid
  for pid in "$PG_PID" $(pgrep -P "$PG_PID"); do taskset -a -p -c "$1" "$pid" >/dev/null; done
}

median() { # numbers...: their median (the mean of the middle two for an even count)
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# A measured run as one line for median_run: requests/s, peak RSS and the result, tab-separated.
run_line() { printf '%s\t%s\t%s\n' "$(field "$1" rps)" "$2" "$1"; }
run_rss() { cut -f2 <<<"$1"; }
run_result() { cut -f3- <<<"$1"; }

median_run() { # lines of run_line: the one of median requests/s (the lower middle one for an even count)
  local lines=${1%$'\n'}
  sort -g <<<"$lines" | sed -n "$(( ($(wc -l <<<"$lines") + 1) / 2 ))p"
}

# Data directories. A store is deleted as soon as no later run needs it: on this benchmark's virtual machine only ~1.5 GB of
# recently freed memory is backed by the host, and the first touch of any page beyond that costs ~50 µs (the hypervisor maps
# it in; ~80 MB/s against ~2 GB/s, bench/README.md "Figures of session 10"). POST /par grows its store's page cache by
# ~12 MB/s, so stores left in the page cache until the end made every later run write into cold memory: 4-8 µs more CPU per
# push and a p99 of 7-8 ms, which is how the later floor/Parapet pairs of a run came to look slower than the first.
new_data_dir() { # variable: a fresh data directory, deleted at the end at the latest
  local dir
  dir=$(mktemp -d /tmp/parapet-bench-data.XXXXXX)
  CLEANUP_DIRS+=("$dir")
  printf -v "$1" '%s' "$dir"
}
drop_data() { rm -rf "$1"; } # data-dir: deleted now, its page cache freed for the next run

store_par() { # run-name data-dir [setup]: POST /par on a Parapet started on that store (with "setup": the benchmark client
  # created first), then stopped; sets PAR_RUN (a run_line)
  local result rss
  start_parapet RUN "$SERVER_CPU" "$2"
  [ "${3:-}" != setup ] || setup_client "$RUN_URL" "$2"
  result=$(measure "$1" "$RUN_URL" /par par.lua "$LOAD_CPU" "server:$RUN_PID")
  rss=$(vmhwm_mb "$RUN_PID")
  stop "$RUN_PID"
  note_bad "$(field "$result" bad)"
  PAR_RUN=$(run_line "$result" "$rss")
}

fresh_store_par() { # run-name: store_par on a fresh data directory, deleted after
  local data
  new_data_dir data
  store_par "$1" "$data" setup
  drop_data "$data"
}
