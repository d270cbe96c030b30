# Scenario "two-nodes" (sourced by bench/run.sh): POST /par on two Parapet nodes sharing one PostgreSQL database, behind
# Debian's nginx as a loopback round-robin. Node A on CPU $SERVER_CPU, node B on CPU $NODE_B_CPU; PostgreSQL, nginx and wrk
# may run on either CPU ($TWO_AUX_CPUS): with only 2 cores there is no core left for them, so the scaling factor over one
# node is bounded well below 2 (see bench/README.md).
NODE_B_CPU=${NODE_B_CPU:-$LOAD_CPU}
TWO_AUX_CPUS=${TWO_AUX_CPUS:-0,1}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
pg_start "$TWO_AUX_CPUS"
pg_pin "$TWO_AUX_CPUS"
pg_createdb parapet_two
TWO_A_DATA=$(mktemp -d /tmp/parapet-bench-data.XXXXXX)
TWO_B_DATA=$(mktemp -d /tmp/parapet-bench-data.XXXXXX)
CLEANUP_DIRS+=("$TWO_A_DATA" "$TWO_B_DATA")
# One after the other: A applies the migrations and creates the admin client; B finds both.
start_parapet NA "$SERVER_CPU" "$TWO_A_DATA" --db "$(pg_conn parapet_two)"
start_parapet NB "$NODE_B_CPU" "$TWO_B_DATA" --db "$(pg_conn parapet_two)"
setup_client "$NA_URL" "$TWO_A_DATA"
check_push "$NB_URL"

NGINX_DIR=$(mktemp -d /tmp/parapet-bench-nginx.XXXXXX)
CLEANUP_DIRS+=("$NGINX_DIR")
NGINX_PORT=$(free_port 18481)
cat >"$NGINX_DIR/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $NGINX_DIR/body;
  proxy_temp_path $NGINX_DIR/proxy;
  fastcgi_temp_path $NGINX_DIR/fastcgi;
  uwsgi_temp_path $NGINX_DIR/uwsgi;
  scgi_temp_path $NGINX_DIR/scgi;
  client_body_buffer_size 64k;
  upstream parapet {
    server 127.0.0.1:${NA_URL##*:};
    server 127.0.0.1:${NB_URL##*:};
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://parapet;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
    }
  }
}
NGINX
taskset -c "$TWO_AUX_CPUS" "$NGINX" -e "$NGINX_DIR/error.log" -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" >"$LOGS/nginx.log" 2>&1 &
NGINX_PID=$!
STARTED+=("$NGINX_PID")
wait_healthy "http://127.0.0.1:$NGINX_PORT" "$NGINX_PID" || { cat "$NGINX_DIR/error.log" "$LOGS/nginx.log" >&2; exit 1; }
check_push "http://127.0.0.1:$NGINX_PORT"

TWO=$(measure postgres-2nodes "http://127.0.0.1:$NGINX_PORT" /par par.lua "$TWO_AUX_CPUS" "server:$NA_PID,$NB_PID pg:$PG_PID nginx:$NGINX_PID")
TWO_A_RSS=$(vmhwm_mb "$NA_PID")
TWO_B_RSS=$(vmhwm_mb "$NB_PID")
TWO_A_REQ=$(psql -tA -h 127.0.0.1 -p "$PG_PORT" -U postgres -d parapet_two -c 'SELECT count(*) FROM pushed_requests')
stop "$NGINX_PID"
stop "$NA_PID"
stop "$NB_PID"
note_bad "$(field "$TWO" bad)"

TWO_RPS=$(field "$TWO" rps)
if [ -n "${PG1:-}" ]; then
  SCALING=$(ratio "$TWO_RPS" "$(field "$PG1" rps)")
  SCALING_TEXT="**Scaling factor, two nodes / one node (PostgreSQL scenario of this run): ${SCALING}×.**"
else
  SCALING=n/a
  SCALING_TEXT="(Run the postgres scenario too for the scaling factor over one node.)"
fi
printf '| POST /par, PostgreSQL, two nodes behind nginx (requests/s) | %.0f | %.0f | %s | %s |\n' "$TWO_RPS" "$F_RPS" "$(ratio "$TWO_RPS" "$F_RPS")" "$SCENARIO_LOAD_BEFORE" >>"$SUMMARY"
printf '| scaling factor, two nodes / one node (PostgreSQL) | %s× | | | |\n' "$SCALING" >>"$SUMMARY"
section "## POST /par on PostgreSQL, two nodes behind nginx (round-robin)

Node A on CPU $SERVER_CPU, node B on CPU $NODE_B_CPU, both on one database; nginx $("$NGINX" -v 2>&1 | sed 's/.*\///') (1 worker, upstream keepalive),
PostgreSQL and wrk on CPUs $TWO_AUX_CPUS. Load average at the start: $SCENARIO_LOAD_BEFORE.

$WRK_HEADER
$(wrk_row "floor (one core)" "$FLOOR" "$FLOOR_RSS")
$(if [ -n "${PG1:-}" ]; then wrk_row "Parapet, 1 node (PostgreSQL scenario)" "$PG1" "$PG1_RSS"; fi)
$(wrk_row "Parapet, 2 nodes via nginx" "$TWO" "A $TWO_A_RSS / B $TWO_B_RSS")

CPU during the measured run (% of one core; 200 % is the machine): both nodes $(field "$TWO" server_cpu_pct) %, PostgreSQL $(field "$TWO" pg_cpu_pct) %,
nginx $(field "$TWO" nginx_cpu_pct) %, wrk $(field "$TWO" wrk_cpu_pct) %, other work on the machine $(field "$TWO" others_cpu_pct) %.
$SCALING_TEXT Two nodes / floor: $(ratio "$TWO_RPS" "$F_RPS"). Rows in pushed_requests after the run: $TWO_A_REQ.
"
