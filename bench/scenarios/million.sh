# Scenario "million" (sourced by bench/run.sh): POST /par and the claim (GET /authorize with a request_uri, no session: the
# server claims the request for a new browser and redirects to its login page) with $MILLION_ROWS unexpired pushed requests
# already stored in SQLite, against the same on a store that holds only what the claim load needs ($CLAIM_POOL rows).
# Each store: start the server once on a fresh data directory (migrations, benchmark client), stop it, insert the rows
# directly into pushed_requests with `flow fill`, start it again, measure.
CLAIM_WARM_LINES=$((CLAIM_POOL / 4))
export AUTHORIZE_START_WARMUP=1 AUTHORIZE_START_MEASURED=$((CLAIM_WARM_LINES + 1))

fill_store() { # name data-dir rows -> sets ${name}_FILL
  local name=$1 data=$2 rows=$3 result
  log "$name: inserting $rows pushed requests into $data/parapet.db"
  result=$(taskset -c "$LOAD_CPU" "$OUT/flow/flow" fill --db "$data/parapet.db" --rows "$rows" --pool "$CLAIM_POOL" \
    --pool-file "$data/refs.txt" --client-id "$CLIENT_ID" --redirect-uri "$REDIRECT_URI")
  printf -v "${name}_FILL" '%s' "$result"
}

million_store() { # prefix rows: prepare, fill, start; sets ${prefix}_PID/_URL/_DATA
  local prefix=$1 rows=$2 data
  data=$(mktemp -d /tmp/parapet-bench-data.XXXXXX)
  CLEANUP_DIRS+=("$data")
  start_parapet "$prefix" "$SERVER_CPU" "$data"
  local pid_var=${prefix}_PID url_var=${prefix}_URL
  setup_client "${!url_var}" "$data"
  stop "${!pid_var}"
  fill_store "$prefix" "$data" "$rows"
  start_parapet "$prefix" "$SERVER_CPU" "$data"
  printf -v "${prefix}_DATA" '%s' "$data"
}

# Empty store: POST /par on a fresh store (the sqlite scenario's median run when it ran in this run), then the claim on a store
# of just the claim pool.
if [ -n "${SQLITE_MEDIAN_RUN:-}" ]; then
  EMPTY_PAR=$(run_result "$SQLITE_MEDIAN_RUN")
  EMPTY_PAR_RSS=$(run_rss "$SQLITE_MEDIAN_RUN")
  EMPTY_PAR_NOTE="the sqlite scenario's run of median throughput among its $PAR_PAIRS (each on a fresh store)"
else
  EMPTY_RUNS=""
  for instance in $(seq 1 "$PAR_PAIRS"); do
    fresh_store_par "empty-par-$instance"
    EMPTY_RUNS+=$PAR_RUN$'\n'
  done
  EMPTY_MEDIAN_RUN=$(median_run "$EMPTY_RUNS")
  EMPTY_PAR=$(run_result "$EMPTY_MEDIAN_RUN")
  EMPTY_PAR_RSS=$(run_rss "$EMPTY_MEDIAN_RUN")
  EMPTY_PAR_NOTE="the run of median throughput among $PAR_PAIRS, each on a fresh store"
fi
million_store POOL "$CLAIM_POOL"
POOL_CLAIM=$(AUTHORIZE_REFS=$POOL_DATA/refs.txt measure pool-claim "$POOL_URL" "" authorize.lua "$LOAD_CPU" "server:$POOL_PID")
POOL_CLAIM_RSS=$(vmhwm_mb "$POOL_PID")
stop "$POOL_PID"
note_bad "$(field "$POOL_CLAIM" bad)"

# One million rows.
million_store MIL "$MILLION_ROWS"
MIL_DB_MB=$(du -sm "$MIL_DATA" | cut -f1)
MIL_PAR=$(measure million-par "$MIL_URL" /par par.lua "$LOAD_CPU" "server:$MIL_PID")
MIL_PAR_RSS=$(vmhwm_mb "$MIL_PID")
MIL_CLAIM=$(AUTHORIZE_REFS=$MIL_DATA/refs.txt measure million-claim "$MIL_URL" "" authorize.lua "$LOAD_CPU" "server:$MIL_PID")
MIL_CLAIM_RSS=$(vmhwm_mb "$MIL_PID")
stop "$MIL_PID"
note_bad "$(field "$MIL_PAR" bad)"
note_bad "$(field "$MIL_CLAIM" bad)"
# POST /par on PAR_PAIRS server instances in all (the store grows by each run's pushes, every row unexpired): one instance
# differs from the next by ~10 %, as much as the target's margin, so the run of median throughput is the one compared.
MIL_PAR_RUNS=$(run_line "$MIL_PAR" "$MIL_PAR_RSS")$'\n'
MIL_PAR_ROWS=$(wrk_row "POST /par, $MILLION_ROWS rows, instance 1" "$MIL_PAR" "$MIL_PAR_RSS")
for instance in $(seq 2 "$PAR_PAIRS"); do
  store_par "million-par-$instance" "$MIL_DATA"
  MIL_PAR_RUNS+=$PAR_RUN$'\n'
  MIL_PAR_ROWS+=$'\n'$(wrk_row "POST /par, $MILLION_ROWS rows, instance $instance" "$(run_result "$PAR_RUN")" "$(run_rss "$PAR_RUN")")
done
MIL_MEDIAN_RUN=$(median_run "$MIL_PAR_RUNS")
MIL_PAR=$(run_result "$MIL_MEDIAN_RUN")
MIL_PAR_RSS=$(run_rss "$MIL_MEDIAN_RUN")

change() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f %%", 100 * (a / b - 1) }'; }
printf '| POST /par, SQLite with %s rows stored (requests/s) | %.0f | %.0f | %s | %s |\n' "$MILLION_ROWS" "$(field "$MIL_PAR" rps)" "$F_RPS" \
  "$(ratio "$(field "$MIL_PAR" rps)" "$F_RPS")" "$SCENARIO_LOAD_BEFORE" >>"$SUMMARY"
printf '| GET /authorize claim, SQLite with %s rows stored (requests/s) | %.0f | %.0f | %s | |\n' "$MILLION_ROWS" "$(field "$MIL_CLAIM" rps)" \
  "$(field "$FLOOR_CLAIM" rps)" "$(ratio "$(field "$MIL_CLAIM" rps)" "$(field "$FLOOR_CLAIM" rps)")" >>"$SUMMARY"
printf '| %s rows vs empty store: POST /par requests/s / claim requests/s | %s / %s | | | |\n' "$MILLION_ROWS" \
  "$(change "$(field "$MIL_PAR" rps)" "$(field "$EMPTY_PAR" rps)")" "$(change "$(field "$MIL_CLAIM" rps)" "$(field "$POOL_CLAIM" rps)")" >>"$SUMMARY"
section "## $MILLION_ROWS unexpired pushed requests stored (SQLite)

Filled with \`flow fill\` while the server was stopped ($(field "$MIL_FILL" seconds) s for $(field "$MIL_FILL" total_rows) rows; data directory ${MIL_DB_MB} MB).
The claim (\`GET /authorize?client_id&request_uri\`, no session: one conditional UPDATE + one SELECT by key, then a 302 to the login page)
uses a different stored request URI per request, so its baseline store holds $CLAIM_POOL rows (the pool), not zero. Empty-store
POST /par: $EMPTY_PAR_NOTE. Load average at the start: $SCENARIO_LOAD_BEFORE.

$WRK_HEADER
$(wrk_row "floor POST /par" "$FLOOR" "$FLOOR_RSS")
$(wrk_row "POST /par, empty store" "$EMPTY_PAR" "$EMPTY_PAR_RSS")
$MIL_PAR_ROWS
$(wrk_row "POST /par, $MILLION_ROWS rows: the median instance, compared" "$MIL_PAR" "$MIL_PAR_RSS")
$(wrk_row "floor GET /authorize" "$FLOOR_CLAIM" "$FLOOR_CLAIM_RSS")
$(wrk_row "claim, $CLAIM_POOL rows" "$POOL_CLAIM" "$POOL_CLAIM_RSS")
$(wrk_row "claim, $MILLION_ROWS rows" "$MIL_CLAIM" "$MIL_CLAIM_RSS")

**$MILLION_ROWS rows vs empty store (target: within 10 %):** POST /par requests/s $(change "$(field "$MIL_PAR" rps)" "$(field "$EMPTY_PAR" rps)"), CPU per request
$(change "$(field "$MIL_PAR" server_cpu_us_per_req)" "$(field "$EMPTY_PAR" server_cpu_us_per_req)"), p99 $(change "$(field "$MIL_PAR" p99_us)" "$(field "$EMPTY_PAR" p99_us)");
claim requests/s $(change "$(field "$MIL_CLAIM" rps)" "$(field "$POOL_CLAIM" rps)"), CPU per request $(change "$(field "$MIL_CLAIM" server_cpu_us_per_req)" "$(field "$POOL_CLAIM" server_cpu_us_per_req)"),
p99 $(change "$(field "$MIL_CLAIM" p99_us)" "$(field "$POOL_CLAIM" p99_us)"). Against the floor: POST /par $(ratio "$(field "$MIL_PAR" rps)" "$F_RPS"), claim $(ratio "$(field "$MIL_CLAIM" rps)" "$(field "$FLOOR_CLAIM" rps)").
"
