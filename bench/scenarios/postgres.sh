# Scenario "postgres" (sourced by bench/run.sh): POST /par on one node with PostgreSQL 15 (a throw-away cluster, fsync and
# synchronous_commit on). On 2 cores PostgreSQL cannot be kept off the server's core and the load generator's at once: it is
# pinned to CPU $PG_CPU (default: the load generator's), so the server keeps CPU $SERVER_CPU to itself.
PG_CPU=${PG_CPU:-$LOAD_CPU}
pg_start "$PG_CPU"
pg_pin "$PG_CPU"
pg_createdb parapet_one
new_data_dir PG1_DATA
start_parapet PG1 "$SERVER_CPU" "$PG1_DATA" --db "$(pg_conn parapet_one)"
setup_client "$PG1_URL" "$PG1_DATA"
PG1=$(measure postgres-1node "$PG1_URL" /par par.lua "$LOAD_CPU" "server:$PG1_PID pg:$PG_PID")
PG1_RSS=$(vmhwm_mb "$PG1_PID")
stop "$PG1_PID"
note_bad "$(field "$PG1" bad)"
PG1_ROWS=$(psql -tA -h 127.0.0.1 -p "$PG_PORT" -U postgres -d parapet_one -c 'SELECT count(*) FROM pushed_requests')
pg_dropdb parapet_one
drop_data "$PG1_DATA"
PG1_CPU_PER_REQ=$(awk -v s="$(field "$PG1" server_cpu_us_per_req)" -v p="$(field "$PG1" pg_cpu_pct)" -v r="$(field "$PG1" rps)" 'BEGIN { printf "%.1f", 1e4 * p / r }')

printf '| POST /par, PostgreSQL, one node (requests/s) | %.0f | %.0f | %s | %s |\n' "$(field "$PG1" rps)" "$F_RPS" "$(ratio "$(field "$PG1" rps)" "$F_RPS")" "$SCENARIO_LOAD_BEFORE" >>"$SUMMARY"
section "## POST /par on PostgreSQL, one node

PostgreSQL 15 (Debian), throw-away cluster, \`fsync=on\`, \`synchronous_commit=on\`, \`max_connections=200\`, pinned with wrk to CPU $PG_CPU;
\`parapet serve --db \"Host=127.0.0.1;Port=…;Username=postgres;Database=parapet_one\"\` on CPU $SERVER_CPU. Load average at the start: $SCENARIO_LOAD_BEFORE.
PostgreSQL cannot be kept off both the server's and the load generator's core on 2 cores; it shares CPU $PG_CPU with wrk.

$WRK_HEADER
$(wrk_row "floor" "$FLOOR" "$FLOOR_RSS")
$(wrk_row "Parapet (PostgreSQL, 1 node)" "$PG1" "$PG1_RSS")

PostgreSQL's own CPU during the measured run: $(field "$PG1" pg_cpu_pct) % of a core (≈ ${PG1_CPU_PER_REQ} µs per request). Rows in pushed_requests after the run: $PG1_ROWS.
**Parapet on PostgreSQL / floor:** throughput $(ratio "$(field "$PG1" rps)" "$F_RPS"), p50 $(ratio "$(field "$PG1" p50_us)" "$(field "$FLOOR" p50_us)")×, p99 $(ratio "$(field "$PG1" p99_us)" "$(field "$FLOOR" p99_us)")×, peak RSS $(ratio "$PG1_RSS" "$FLOOR_RSS")×, server CPU per request $(ratio "$(field "$PG1" server_cpu_us_per_req)" "$F_CPU")×.
"
