# Scenario "sqlite" (sourced by bench/run.sh): POST /par on one node with the embedded SQLite file, then where the server's
# CPU goes under that load (bench/perf-profile.sh). Sets SQLITE (the first run) and SQLITE_MEDIAN_RUN (rps, peak RSS and result of the run of median
# throughput among the PAR_PAIRS).
new_data_dir DATA_DIR
start_parapet SQ "$SERVER_CPU" "$DATA_DIR"
setup_client "$SQ_URL" "$DATA_DIR"
SQLITE=$(measure sqlite "$SQ_URL" /par par.lua "$LOAD_CPU" "server:$SQ_PID")
SQLITE_RSS=$(vmhwm_mb "$SQ_PID")
# The runtime settings Parapet started itself with (RuntimeTuning): what its environment holds that this script's does not.
PARAPET_RUNTIME=$(comm -13 <(env | sort) <(tr '\0' '\n' <"/proc/$SQ_PID/environ" | sort) | grep -E '^(DOTNET_|MALLOC_)' || true)
stop "$SQ_PID"
SQLITE_DB_MB=$(du -sm "$DATA_DIR" | cut -f1)
drop_data "$DATA_DIR"

# The floor again, with those settings: reported beside the floor of the run, which stays the reference of the targets.
# Parapet pays for its memory bound with a 4 MB young generation; the floor, without it, runs at ~165 MB.
# shellcheck disable=SC2086 # one NAME=value per word
start_floor FLOOR_TUNED 18191 $PARAPET_RUNTIME
FLOOR_TUNED=$(measure floor-tuned "$FLOOR_TUNED_URL" /par par.lua "$LOAD_CPU" "server:$FLOOR_TUNED_PID")
FLOOR_TUNED_RSS=$(vmhwm_mb "$FLOOR_TUNED_PID")
stop "$FLOOR_TUNED_PID"
note_bad "$(field "$FLOOR_TUNED" bad)"
note_bad "$(field "$SQLITE" bad)"
P_CPU=$(field "$SQLITE" server_cpu_us_per_req)

# More floor/Parapet pairs, one after the other, each Parapet on a fresh data directory: identical binaries vary by ±10 % from
# one run to the next on these machines, as much as the target's margin, so the target is read from the median of the pairs.
PAIR_ROWS="" PAIR_RATIOS="" PAIR_P99_RATIOS=""
PAIR_RUNS=""
add_pair() { # label floor-result parapet-result parapet-rss
  local r p
  PAIR_RUNS+=$(run_line "$3" "$4")$'\n'
  r=$(ratio "$(field "$3" rps)" "$(field "$2" rps)")
  p=$(ratio "$(field "$3" p99_us)" "$(field "$2" p99_us)")
  PAIR_RATIOS+="$r " PAIR_P99_RATIOS+="$p "
  PAIR_ROWS+=$(printf '| %s | %.0f | %s | %.0f | %s | %s | %s | %s× |' "$1" "$(field "$2" rps)" "$(ms "$(field "$2" p99_us)")" \
    "$(field "$3" rps)" "$(ms "$(field "$3" p99_us)")" "$(field "$3" server_cpu_us_per_req)" "$r" "$p")$'\n'
}
add_pair "1 (the run's floor and the run above)" "$FLOOR" "$SQLITE" "$SQLITE_RSS"
for pair in $(seq 2 "$PAR_PAIRS"); do
  start_floor FLOOR_PAIR 18195 "$FLOOR_RUNTIME"
  PAIR_FLOOR=$(measure "floor-pair-$pair" "$FLOOR_PAIR_URL" /par par.lua "$LOAD_CPU" "server:$FLOOR_PAIR_PID")
  stop "$FLOOR_PAIR_PID"
  note_bad "$(field "$PAIR_FLOOR" bad)"
  fresh_store_par "sqlite-pair-$pair"
  add_pair "$pair" "$PAIR_FLOOR" "$(run_result "$PAR_RUN")" "$(run_rss "$PAR_RUN")"
done
# shellcheck disable=SC2086 # one ratio per word
PAIRS_MEDIAN=$(median $PAIR_RATIOS)
# shellcheck disable=SC2086
PAIRS_P99_MEDIAN=$(median $PAIR_P99_RATIOS)
# The Parapet run of median throughput (the lower middle one for an even count): the million scenario's empty store.
SQLITE_MEDIAN_RUN=$(median_run "$PAIR_RUNS")

# shellcheck source=bench/perf-profile.sh
. bench/perf-profile.sh
perf_profile
note_bad "$(field "$PERF_RESULT" bad)"

printf '| POST /par, SQLite, one node (requests/s) | %.0f | %.0f | %s | %s |\n' "$(field "$SQLITE" rps)" "$F_RPS" "$(ratio "$(field "$SQLITE" rps)" "$F_RPS")" "$SCENARIO_LOAD_BEFORE" >>"$SUMMARY"
printf '| POST /par, SQLite: median over %s floor/Parapet pairs, throughput ratio / p99 ratio (targets: ≥ 0.5 / ≤ 3×) | | | %s / %s× | |\n' "$PAR_PAIRS" "$PAIRS_MEDIAN" "$PAIRS_P99_MEDIAN" >>"$SUMMARY"
printf '| POST /par, SQLite: server CPU µs per request | %s | %s | %s× | |\n' "$P_CPU" "$F_CPU" "$(ratio "$P_CPU" "$F_CPU")" >>"$SUMMARY"
printf '| POST /par, SQLite, against the floor with Parapet'"'"'s runtime settings (reported; not the targets'"'"' reference) | %.0f | %.0f | %s | |\n' "$(field "$SQLITE" rps)" "$(field "$FLOOR_TUNED" rps)" "$(ratio "$(field "$SQLITE" rps)" "$(field "$FLOOR_TUNED" rps)")" >>"$SUMMARY"
section "## POST /par on SQLite, one node

Server \`parapet serve --data-dir <fresh temp dir>\` on CPU $SERVER_CPU, wrk on CPU $LOAD_CPU. Load average at the start: $SCENARIO_LOAD_BEFORE.

$WRK_HEADER
$(wrk_row "floor" "$FLOOR" "$FLOOR_RSS")
$(wrk_row "Parapet (SQLite)" "$SQLITE" "$SQLITE_RSS")
$(wrk_row "floor with Parapet's runtime settings (not the targets' reference)" "$FLOOR_TUNED" "$FLOOR_TUNED_RSS")

**Parapet / floor:** throughput $(ratio "$(field "$SQLITE" rps)" "$F_RPS"), p50 latency $(ratio "$(field "$SQLITE" p50_us)" "$(field "$FLOOR" p50_us)")×, p99 latency $(ratio "$(field "$SQLITE" p99_us)" "$(field "$FLOOR" p99_us)")×, peak RSS $(ratio "$SQLITE_RSS" "$FLOOR_RSS")×, server CPU per request $(ratio "$P_CPU" "$F_CPU")×.
**Against the floor with Parapet's runtime settings** (\`$(echo $PARAPET_RUNTIME)\`): throughput $(ratio "$(field "$SQLITE" rps)" "$(field "$FLOOR_TUNED" rps)"), p99 latency $(ratio "$(field "$SQLITE" p99_us)" "$(field "$FLOOR_TUNED" p99_us)")×, peak RSS $(ratio "$SQLITE_RSS" "$FLOOR_TUNED_RSS")×.
Data directory after the run: ${SQLITE_DB_MB} MB.

### Floor/Parapet pairs (the targets read from their median)

| pair | floor req/s | floor p99 ms | Parapet req/s | Parapet p99 ms | Parapet CPU µs/req | ratio | p99 ratio |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${PAIR_ROWS}
**Median over $PAR_PAIRS pairs:** throughput $PAIRS_MEDIAN (target ≥ 0.5), p99 ${PAIRS_P99_MEDIAN}× (target ≤ 3×).

$PERF_SECTION"
