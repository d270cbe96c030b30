# Scenario "million" (sourced by bench/run.sh): POST /par and the claim (GET /authorize with a request_uri, no session: the
# server claims the request for a new browser and redirects to its login page) with $MILLION_ROWS unexpired pushed requests
# already stored in SQLite, against the same on a store that holds only what the claim load needs ($CLAIM_POOL rows).
# Each store: start the server once on a fresh data directory (migrations, benchmark client), stop it, insert the rows
# directly into pushed_requests with `flow fill`, then measure on servers started on it. One server instance differs from
# the next by ~10 %, as much as the target's margin, so each side is measured on several instances and their medians are
# compared (PAR_PAIRS for POST /par, CLAIM_INSTANCES for the claim, whose instances spread wider: see bench/run.sh); a claim
# spends its request URI, so every claim instance has a pool of CLAIM_POOL request URIs of its own.
CLAIM_WARM_LINES=$((CLAIM_POOL / 4))

fill_store() { # name data-dir rows pool -> sets ${name}_FILL
  local name=$1 data=$2 rows=$3 pool=$4 result
  log "$name: inserting $rows pushed requests into $data/parapet.db"
  result=$(taskset -c "$LOAD_CPU" "$OUT/flow/flow" fill --db "$data/parapet.db" --rows "$rows" --pool "$pool" \
    --pool-chunk "$CLAIM_POOL" --pool-file "$data/refs.txt" --client-id "$CLIENT_ID" --redirect-uri "$REDIRECT_URI")
  printf -v "${name}_FILL" '%s' "$result"
}

million_store() { # prefix rows pool: a fresh data directory with the benchmark client and that many rows, the first `pool`
  # of them claimable (their request URIs in refs.txt); sets ${prefix}_DATA and ${prefix}_FILL
  local prefix=$1 data
  new_data_dir data
  start_parapet "$prefix" "$SERVER_CPU" "$data"
  local pid_var=${prefix}_PID url_var=${prefix}_URL
  setup_client "${!url_var}" "$data"
  stop "${!pid_var}"
  fill_store "$prefix" "$data" "$2" "$3"
  printf -v "${prefix}_DATA" '%s' "$data"
}

claim_instance() { # run-name data-dir first-line: the claim load on a Parapet started on that store, with the request URIs
  # of refs.txt from first-line on (a quarter for the warm-up, the rest measured), then stopped; sets CLAIM_RUN (a run_line)
  local first=$3 result rss
  start_parapet CLAIMER "$SERVER_CPU" "$2"
  result=$(AUTHORIZE_REFS=$2/refs.txt AUTHORIZE_START_WARMUP=$first AUTHORIZE_START_MEASURED=$((first + CLAIM_WARM_LINES)) \
    AUTHORIZE_END=$((first + CLAIM_POOL - 1)) measure "$1" "$CLAIMER_URL" "" authorize.lua "$LOAD_CPU" "server:$CLAIMER_PID")
  rss=$(vmhwm_mb "$CLAIMER_PID")
  stop "$CLAIMER_PID"
  note_bad "$(field "$result" bad)"
  CLAIM_RUN=$(run_line "$result" "$rss")
}

instances_add() { # runs-var rows-var label run-line: appends the instance's run_line and its report row
  printf -v "$1" '%s%s\n' "${!1}" "$4"
  printf -v "$2" '%s%s\n' "${!2}" "$(wrk_row "$3" "$(run_result "$4")" "$(run_rss "$4")")"
}

instances_median() { # runs result-var rss-var: the result and peak RSS of the instance of median requests/s
  local run
  run=$(median_run "$1")
  printf -v "$2" '%s' "$(run_result "$run")"
  printf -v "$3" '%s' "$(run_rss "$run")"
}

# The claim's baseline: each instance on a fresh store of just its pool.
POOL_CLAIM_RUNS="" POOL_CLAIM_ROWS=""
for instance in $(seq 1 "$CLAIM_INSTANCES"); do
  million_store POOL "$CLAIM_POOL" "$CLAIM_POOL"
  claim_instance "pool-claim-$instance" "$POOL_DATA" 1
  drop_data "$POOL_DATA"
  instances_add POOL_CLAIM_RUNS POOL_CLAIM_ROWS "claim, $CLAIM_POOL rows, instance $instance" "$CLAIM_RUN"
done
instances_median "$POOL_CLAIM_RUNS" POOL_CLAIM POOL_CLAIM_RSS

# One million rows, CLAIM_INSTANCES pools of them claimable, for the claim instances (a claim rewrites its row: the store hardly
# grows). Then POST /par, each instance on a freshly filled store of its own, deleted after: each instance grows its store by
# ~500 MB, and three of them on one store would have the last one writing into memory the machine has to map in first (see
# new_data_dir in bench/lib.sh), which is this machine's cost, not the stored rows'.
million_store MIL "$MILLION_ROWS" $((CLAIM_INSTANCES * CLAIM_POOL))
MIL_DB_MB=$(du -sm "$MIL_DATA" | cut -f1)
MIL_CLAIM_RUNS="" MIL_CLAIM_ROWS=""
for instance in $(seq 1 "$CLAIM_INSTANCES"); do
  claim_instance "million-claim-$instance" "$MIL_DATA" $(((instance - 1) * CLAIM_POOL + 1))
  instances_add MIL_CLAIM_RUNS MIL_CLAIM_ROWS "claim, $MILLION_ROWS rows, instance $instance" "$CLAIM_RUN"
done
drop_data "$MIL_DATA"
instances_median "$MIL_CLAIM_RUNS" MIL_CLAIM MIL_CLAIM_RSS
# POST /par: empty-store and 1M-store instances in turn, each on a store of its own made the same way (server started on a
# fresh data directory for the migrations and the client, then stopped; the 1M one then filled), deleted after its run. In turn,
# not the sqlite scenario's runs from ~20 minutes before: in session 11 the instances of this scenario ran 7-13 % faster than
# those of the sqlite scenario in the same run (both sides' figures are in bench/README.md), which a comparison across the run
# would have read as an effect of the stored rows.
EMPTY_RUNS="" EMPTY_ROWS="" MIL_PAR_RUNS="" MIL_PAR_ROWS=""
for instance in $(seq 1 "$PAR_PAIRS"); do
  million_store EPAR 0 0
  store_par "empty-par-$instance" "$EPAR_DATA"
  drop_data "$EPAR_DATA"
  instances_add EMPTY_RUNS EMPTY_ROWS "POST /par, empty store, instance $instance" "$PAR_RUN"
  million_store MPAR "$MILLION_ROWS" 0
  store_par "million-par-$instance" "$MPAR_DATA"
  drop_data "$MPAR_DATA"
  instances_add MIL_PAR_RUNS MIL_PAR_ROWS "POST /par, $MILLION_ROWS rows, instance $instance" "$PAR_RUN"
done
instances_median "$EMPTY_RUNS" EMPTY_PAR EMPTY_PAR_RSS
EMPTY_PAR_NOTE="the instance of median throughput among $PAR_PAIRS, each on a fresh store of its own, run in turn with the 1M instances"
instances_median "$MIL_PAR_RUNS" MIL_PAR MIL_PAR_RSS

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
uses a different stored request URI per request, so its baseline store holds $CLAIM_POOL rows (one instance's pool), not zero; each
claim instance, on either store, has a pool of $CLAIM_POOL request URIs of its own. The claim instances share one store of
$MILLION_ROWS rows; each POST /par instance has one of its own, filled the same way ($(field "$MPAR_FILL" seconds) s for the last).
Empty-store POST /par: $EMPTY_PAR_NOTE. Each side is the instance of median requests/s among its instances ($PAR_PAIRS for
POST /par, $CLAIM_INSTANCES for the claim, whose instances spread wider); every store is deleted
as soon as its runs are done (bench/lib.sh, new_data_dir). Load average at the start: $SCENARIO_LOAD_BEFORE.

$WRK_HEADER
$(wrk_row "floor POST /par" "$FLOOR" "$FLOOR_RSS")
${EMPTY_ROWS:-}$(wrk_row "POST /par, empty store: the median instance, compared" "$EMPTY_PAR" "$EMPTY_PAR_RSS")
${MIL_PAR_ROWS}$(wrk_row "POST /par, $MILLION_ROWS rows: the median instance, compared" "$MIL_PAR" "$MIL_PAR_RSS")
$(wrk_row "floor GET /authorize" "$FLOOR_CLAIM" "$FLOOR_CLAIM_RSS")
${POOL_CLAIM_ROWS}$(wrk_row "claim, $CLAIM_POOL rows: the median instance, compared" "$POOL_CLAIM" "$POOL_CLAIM_RSS")
${MIL_CLAIM_ROWS}$(wrk_row "claim, $MILLION_ROWS rows: the median instance, compared" "$MIL_CLAIM" "$MIL_CLAIM_RSS")

**$MILLION_ROWS rows vs empty store (target: within 10 %):** POST /par requests/s $(change "$(field "$MIL_PAR" rps)" "$(field "$EMPTY_PAR" rps)"), CPU per request
$(change "$(field "$MIL_PAR" server_cpu_us_per_req)" "$(field "$EMPTY_PAR" server_cpu_us_per_req)"), p99 $(change "$(field "$MIL_PAR" p99_us)" "$(field "$EMPTY_PAR" p99_us)");
claim requests/s $(change "$(field "$MIL_CLAIM" rps)" "$(field "$POOL_CLAIM" rps)"), CPU per request $(change "$(field "$MIL_CLAIM" server_cpu_us_per_req)" "$(field "$POOL_CLAIM" server_cpu_us_per_req)"),
p99 $(change "$(field "$MIL_CLAIM" p99_us)" "$(field "$POOL_CLAIM" p99_us)"). Against the floor: POST /par $(ratio "$(field "$MIL_PAR" rps)" "$F_RPS"), claim $(ratio "$(field "$MIL_CLAIM" rps)" "$(field "$FLOOR_CLAIM" rps)").
"
