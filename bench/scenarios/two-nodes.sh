# Scenario "two-nodes" (sourced by bench/run.sh): POST /par on two Parapet nodes sharing one PostgreSQL database, behind
# Debian's nginx as a loopback round-robin. Node A on CPU $SERVER_CPU, node B on CPU $NODE_B_CPU; PostgreSQL, nginx and wrk
# may run on either CPU ($TWO_AUX_CPUS): with only 2 cores there is no core left for them, so the scaling factor over one
# node is bounded well below 2 (see bench/README.md). With TWO_NODES_BASELINE=1 (the default) node A alone is measured first
# through the same nginx, with the same placement, so the scaling factor compares like with like.
NODE_B_CPU=${NODE_B_CPU:-$LOAD_CPU}
TWO_AUX_CPUS=${TWO_AUX_CPUS:-0,1}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
TWO_NODES_BASELINE=${TWO_NODES_BASELINE:-1}
pg_start "$TWO_AUX_CPUS"
pg_pin "$TWO_AUX_CPUS"
pg_createdb parapet_two
new_data_dir TWO_A_DATA
new_data_dir TWO_B_DATA
# One after the other: A applies the migrations and creates the admin client; B finds both, and reads the key ring with
# A's key-encryption key (every node of a shared database needs the same one).
start_parapet NA "$SERVER_CPU" "$TWO_A_DATA" --db "$(pg_conn parapet_two)"
start_parapet NB "$NODE_B_CPU" "$TWO_B_DATA" --db "$(pg_conn parapet_two)" --key-encryption-key "$TWO_A_DATA/key-encryption.key"
setup_client "$NA_URL" "$TWO_A_DATA"
check_push "$NB_URL"

NGINX_DIR=$(mktemp -d /tmp/parapet-bench-nginx.XXXXXX)
CLEANUP_DIRS+=("$NGINX_DIR")
NGINX_PORT=$(free_port 18481)
NGINX_ONE_PORT=$(free_port $((NGINX_PORT + 1)))
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
  upstream parapet_one {
    server 127.0.0.1:${NA_URL##*:};
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$NGINX_ONE_PORT;
    location / {
      proxy_pass http://parapet_one;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
    }
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

if [ "$TWO_NODES_BASELINE" = 1 ]; then
  ONE_VIA=$(measure postgres-1node-via-nginx "http://127.0.0.1:$NGINX_ONE_PORT" /par par.lua "$TWO_AUX_CPUS" "server:$NA_PID pg:$PG_PID nginx:$NGINX_PID")
  ONE_VIA_RSS=$(vmhwm_mb "$NA_PID")
  note_bad "$(field "$ONE_VIA" bad)"
fi
TWO=$(measure postgres-2nodes "http://127.0.0.1:$NGINX_PORT" /par par.lua "$TWO_AUX_CPUS" "server:$NA_PID,$NB_PID pg:$PG_PID nginx:$NGINX_PID")
TWO_A_RSS=$(vmhwm_mb "$NA_PID")
TWO_B_RSS=$(vmhwm_mb "$NB_PID")
TWO_A_REQ=$(psql -tA -h 127.0.0.1 -p "$PG_PORT" -U postgres -d parapet_two -c 'SELECT count(*) FROM pushed_requests')
stop "$NGINX_PID"
stop "$NA_PID"
stop "$NB_PID"
note_bad "$(field "$TWO" bad)"

TWO_RPS=$(field "$TWO" rps)
SCALING_TEXT=""
SCALING=n/a
if [ -n "${PG1:-}" ]; then
  SCALING=$(ratio "$TWO_RPS" "$(field "$PG1" rps)")×
  SCALING_TEXT="**Scaling factor, two nodes / one node direct (PostgreSQL scenario, node on its own core): ${SCALING}.**"
fi
SCALING_VIA=n/a
if [ -n "${ONE_VIA:-}" ]; then
  SCALING_VIA=$(ratio "$TWO_RPS" "$(field "$ONE_VIA" rps)")×
  SCALING_TEXT="$SCALING_TEXT **Two nodes / one node through the same nginx and placement: ${SCALING_VIA}.** One node via nginx: server $(field "$ONE_VIA" server_cpu_pct) %, PostgreSQL $(field "$ONE_VIA" pg_cpu_pct) %, nginx $(field "$ONE_VIA" nginx_cpu_pct) %, wrk $(field "$ONE_VIA" wrk_cpu_pct) %."
fi
TWO_ROWS=$(wrk_row "floor (one core)" "$FLOOR" "$FLOOR_RSS")
[ -n "${PG1:-}" ] && TWO_ROWS+=$'\n'$(wrk_row "Parapet, 1 node direct (postgres scenario: node CPU $SERVER_CPU, PostgreSQL + wrk CPU $PG_CPU)" "$PG1" "$PG1_RSS")
[ -n "${ONE_VIA:-}" ] && TWO_ROWS+=$'\n'$(wrk_row "Parapet, 1 node (A) via nginx, same placement as below" "$ONE_VIA" "$ONE_VIA_RSS")
TWO_ROWS+=$'\n'$(wrk_row "Parapet, 2 nodes via nginx" "$TWO" "A $TWO_A_RSS (max of both runs) / B $TWO_B_RSS")
printf '| POST /par, PostgreSQL, two nodes behind nginx (requests/s) | %.0f | %.0f | %s | %s |\n' "$TWO_RPS" "$F_RPS" "$(ratio "$TWO_RPS" "$F_RPS")" "$SCENARIO_LOAD_BEFORE" >>"$SUMMARY"
printf '| scaling factor, two nodes / one node (PostgreSQL): vs one node direct / vs one node via the same nginx | %s / %s | | | |\n' "$SCALING" "$SCALING_VIA" >>"$SUMMARY"
section "## POST /par on PostgreSQL, two nodes behind nginx (round-robin)

Node A on CPU $SERVER_CPU, node B on CPU $NODE_B_CPU, both on one database; nginx $("$NGINX" -v 2>&1 | sed 's/.*\///') (1 worker, upstream keepalive),
PostgreSQL and wrk on CPUs $TWO_AUX_CPUS. Load average at the start: $SCENARIO_LOAD_BEFORE.

$WRK_HEADER
$TWO_ROWS

CPU during the measured run (% of one core; 200 % is the machine): both nodes $(field "$TWO" server_cpu_pct) %, PostgreSQL $(field "$TWO" pg_cpu_pct) %,
nginx $(field "$TWO" nginx_cpu_pct) %, wrk $(field "$TWO" wrk_cpu_pct) %, other work on the machine $(field "$TWO" others_cpu_pct) %.
$SCALING_TEXT Two nodes / floor: $(ratio "$TWO_RPS" "$F_RPS"). Rows in pushed_requests after the run: $TWO_A_REQ.
"
