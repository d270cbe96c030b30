# Scenario "flow" (sourced by bench/run.sh): the full flow per second on one SQLite node, driven by bench/Flow on CPU
# $LOAD_CPU: push (client_secret_basic, S256 PKCE) → GET /authorize with an existing browser session (the client is trusted,
# so no consent page; no browser cookie, so the server sets one and claims + consumes the request in that one request) →
# the 302's code → POST /token with the verifier (200). The user signs in once, through the login form, before the load;
# no password is hashed in the loop. A serial pass (one worker) then splits the server's CPU per flow by step.
FLOW_USER=bench-user
FLOW_PASSWORD=bench-password-0123456789
new_data_dir FL_DATA
start_parapet FL "$SERVER_CPU" "$FL_DATA"
setup_client "$FL_URL" "$FL_DATA"
curl -fsS -o /dev/null -H "Authorization: Bearer $(admin_token "$FL_URL" "$FL_DATA")" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$FLOW_USER\",\"password\":\"$FLOW_PASSWORD\"}" "$FL_URL/admin/v1/users"

# Sign in once: GET /login (antiforgery cookie + hidden __antiforgery field), POST /login → 302 with parapet.session.
JAR=$LOGS/flow-cookies.txt
curl -fsS -c "$JAR" -o "$LOGS/login.html" "$FL_URL/login?return_url=/login/done"
AF=$(sed -n 's/.*name="__antiforgery" value="\([^"]*\)".*/\1/p' "$LOGS/login.html" | head -1)
[ -n "$AF" ] || { echo "no __antiforgery field on the login page" >&2; exit 1; }
STATUS=$(curl -s -o "$LOGS/login-post.html" -w '%{http_code}' -b "$JAR" -c "$JAR" --data-urlencode "__antiforgery=$AF" \
  --data-urlencode "username=$FLOW_USER" --data-urlencode "password=$FLOW_PASSWORD" --data-urlencode return_url=/login/done "$FL_URL/login")
SESSION=$(awk '$6 ~ /^parapet\.session/ { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$JAR")
[ "$STATUS" = 302 ] && [ -n "$SESSION" ] || { echo "sign-in failed ($STATUS): $(head -c 500 "$LOGS/login-post.html")" >&2; exit 1; }

log "flow: ${FLOW_WARMUP}s warm-up + ${DURATION}s measured + ${FLOW_SERIAL}s serial, $FLOW_WORKERS workers"
FLOW=$(taskset -c "$LOAD_CPU" "$OUT/flow/flow" run --url "$FL_URL" --client-id "$CLIENT_ID" --client-secret "$CLIENT_SECRET" \
  --redirect-uri "$REDIRECT_URI" --cookie "$SESSION" --workers "$FLOW_WORKERS" --warmup "$FLOW_WARMUP" --seconds "$DURATION" \
  --serial-seconds "$FLOW_SERIAL" --server-pids "$FL_PID" --clk-tck "$(getconf CLK_TCK)" 2>"$LOGS/flow.txt") \
  || { cat "$LOGS/flow.txt" >&2; FLOW=${FLOW:-}; }
[ -n "$FLOW" ] || { echo "flow run produced no result" >&2; exit 1; }
FLOW_RSS=$(vmhwm_mb "$FL_PID")
stop "$FL_PID"
drop_data "$FL_DATA"
note_bad "$(field "$FLOW" errors)"
note_bad "$(field "$FLOW" serial_errors)"

flow_row() { # name result rss
  printf '| %s | %.1f | %s | %s | %s | %s | %s | %s%% | %s | %s%% |\n' "$1" "$(field "$2" fps)" "$(ms "$(field "$2" p50_us)")" \
    "$(ms "$(field "$2" p99_us)")" "$(field "$2" flows)" "$(field "$2" errors)" "$3" "$(field "$2" server_cpu_pct)" \
    "$(field "$2" server_cpu_us_per_flow)" "$(field "$2" client_cpu_pct)"
}
serial_share() { # result step: that step's share of the server CPU of the serial pass
  awk -v a="$(field "$1" "serial_$2_server_cpu_us")" -v p="$(field "$1" serial_push_server_cpu_us)" -v z="$(field "$1" serial_authorize_server_cpu_us)" \
    -v t="$(field "$1" serial_token_server_cpu_us)" 'BEGIN { s = p + z + t; if (s > 0) printf "%.0f %%", 100 * a / s; else print "n/a" }'
}
step_row() { # step floor parapet
  printf '| %s | %s / %s | %s / %s | %s | %s | %s (%s) | %s (%s) |\n' "$1" \
    "$(ms "$(field "$3" "$1_p50_us")")" "$(ms "$(field "$3" "$1_p99_us")")" "$(ms "$(field "$2" "$1_p50_us")")" "$(ms "$(field "$2" "$1_p99_us")")" \
    "$(ms "$(field "$3" "serial_$1_p50_us")")" "$(ms "$(field "$2" "serial_$1_p50_us")")" \
    "$(field "$3" "serial_$1_server_cpu_us")" "$(serial_share "$3" "$1")" "$(field "$2" "serial_$1_server_cpu_us")" "$(serial_share "$2" "$1")"
}
printf '| full flow push→authorize→token, SQLite (flows/s) | %.1f | %.1f | %s | %s |\n' "$(field "$FLOW" fps)" "$(field "$FLOOR_FLOW" fps)" \
  "$(ratio "$(field "$FLOW" fps)" "$(field "$FLOOR_FLOW" fps)")" "$SCENARIO_LOAD_BEFORE" >>"$SUMMARY"
section "## Full flow per second: push → authorize (with a session) → token, SQLite, one node

bench/Flow ($FLOW_WORKERS workers, one HTTP/1.1 connection each) on CPU $LOAD_CPU, server on CPU $SERVER_CPU. The floor's /authorize
and /token answer the same shapes without storage, signing or checks. Load average at the start: $SCENARIO_LOAD_BEFORE.

| server | flows/s | flow p50 ms | flow p99 ms | flows | errors | peak RSS MB | server CPU | server CPU µs/flow | load generator CPU |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$(flow_row floor "$FLOOR_FLOW" "$FLOOR_FLOW_RSS")
$(flow_row "Parapet (SQLite)" "$FLOW" "$FLOW_RSS")

**Parapet / floor:** flows/s $(ratio "$(field "$FLOW" fps)" "$(field "$FLOOR_FLOW" fps)"), server CPU per flow $(ratio "$(field "$FLOW" server_cpu_us_per_flow)" "$(field "$FLOOR_FLOW" server_cpu_us_per_flow)")×, flow p50 $(ratio "$(field "$FLOW" p50_us)" "$(field "$FLOOR_FLOW" p50_us)")×.

Where the time goes, per step: latency under load (p50 / p99, ms), then one worker alone (${FLOW_SERIAL}s: $(field "$FLOW" serial_flows) flows on Parapet,
$(field "$FLOOR_FLOW" serial_flows) on the floor) — its p50 latency and the server's CPU per step, from /proc/PID/stat read around each step:

| step | Parapet under load p50 / p99 ms | floor under load p50 / p99 ms | Parapet alone p50 ms | floor alone p50 ms | Parapet server CPU µs alone (share) | floor server CPU µs alone (share) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
$(step_row push "$FLOOR_FLOW" "$FLOW")
$(step_row authorize "$FLOOR_FLOW" "$FLOW")
$(step_row token "$FLOOR_FLOW" "$FLOW")

One worker alone leaves the server idle between requests, so each request also pays for waking the server's threads (and the
.NET thread pool's spin before it sleeps again): the per-step CPU alone sums to $(awk -v p="$(field "$FLOW" serial_push_server_cpu_us)" -v a="$(field "$FLOW" serial_authorize_server_cpu_us)" -v t="$(field "$FLOW" serial_token_server_cpu_us)" 'BEGIN { printf "%.0f", p + a + t }') µs per flow against $(field "$FLOW" server_cpu_us_per_flow) µs under load.
Read the shares, not the absolute µs.
"
