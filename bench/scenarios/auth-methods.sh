# Scenario "auth-methods" (sourced by bench/run.sh): POST /par with each client-authentication method on one SQLite node,
# driven by bench/Flow's `flow push` on CPU $LOAD_CPU (a JWT assertion is signed per request by the generator, so wrk cannot
# drive these), server on CPU $SERVER_CPU. Every method is quoted against client_secret_basic measured by the same generator
# in the same run; the wrk figure of the sqlite scenario is not comparable with these (a different load generator).
new_data_dir AM_DATA
AM_KEYS=$(mktemp -d /tmp/parapet-bench-keys.XXXXXX)
CLEANUP_DIRS+=("$AM_KEYS")
"$OUT/flow/flow" keys --dir "$AM_KEYS"
AM_MTLS_PORT=$(free_port $((18900 + RANDOM % 50)))
AM_MTLS=https://127.0.0.1:$AM_MTLS_PORT
start_parapet AM "$SERVER_CPU" "$AM_DATA" --mtls-urls "$AM_MTLS" --tls-self-signed --mtls-trust-ca "$AM_KEYS/ca.pem"
setup_client "$AM_URL" "$AM_DATA"
AM_SECRET=bench-jwt-secret-0123456789abcdef0123456789
am_client() { # id method extra-json-members
  local token
  token=$(admin_token "$AM_URL" "$AM_DATA")
  curl -fsS -o "$LOGS/client-$1.json" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"client_id\":\"$1\",\"redirect_uris\":[\"$REDIRECT_URI\"],\"token_endpoint_auth_method\":\"$2\",\"trusted\":true$3}" \
    "$AM_URL/admin/v1/clients" || { echo "creating client $1 ($2) failed: $(cat "$LOGS/client-$1.json" 2>/dev/null)" >&2; return 1; }
}
am_client bench-post client_secret_post ",\"client_secret\":\"$CLIENT_SECRET\""
am_client bench-jwt client_secret_jwt ",\"client_secret\":\"$AM_SECRET\""
am_client bench-pkjwt private_key_jwt ",\"jwks\":$(cat "$AM_KEYS/client-jwks.json")"
am_client bench-public none ""
am_client bench-tls tls_client_auth ",\"tls_client_auth_subject_dn\":\"CN=bench-client\""
am_client bench-self self_signed_tls_client_auth ",\"jwks\":$(cat "$AM_KEYS/self-jwks.json")"

AM_RESULTS=()
am_push() { # label url method client-id extra-flow-args...
  local label=$1 url=$2 method=$3 id=$4 result warmup=$WARMUP
  shift 4
  # The first method also warms the fresh server up (the JIT's ramp); the others find it warm.
  [ ${#AM_RESULTS[@]} -eq 0 ] && warmup=$PAR_WARMUP
  log "auth-methods: $label, ${warmup}s warm-up + ${DURATION}s, $CONNECTIONS workers"
  result=$(taskset -c "$LOAD_CPU" "$OUT/flow/flow" push --url "$url" --audience "$AM_URL" --method "$method" --client-id "$id" --redirect-uri "$REDIRECT_URI" \
    --workers "$CONNECTIONS" --warmup "$warmup" --seconds "$DURATION" --server-pids "$AM_PID" --clk-tck "$(getconf CLK_TCK)" "$@" \
    2>"$LOGS/auth-$label.txt") || { cat "$LOGS/auth-$label.txt" >&2; }
  [ -n "$result" ] || { echo "flow push ($label) produced no result" >&2; exit 1; }
  note_bad "$(field "$result" bad)"
  AM_RESULTS+=("$label|$result")
}
AM_PIN=(--server-cert "$AM_DATA/tls-self-signed.crt.pem")
am_push client_secret_basic "$AM_URL" client_secret_basic "$CLIENT_ID" --client-secret "$CLIENT_SECRET"
am_push client_secret_post "$AM_URL" client_secret_post bench-post --client-secret "$CLIENT_SECRET"
am_push "client_secret_jwt (HS256)" "$AM_URL" client_secret_jwt bench-jwt --client-secret "$AM_SECRET"
am_push "private_key_jwt (ES256)" "$AM_URL" private_key_jwt bench-pkjwt --key-file "$AM_KEYS/client-ec.pem" --key-id bench-ec
am_push "none (public client)" "$AM_URL" none bench-public
am_push "client_secret_basic over TLS (mTLS listener, no certificate)" "$AM_MTLS" client_secret_basic "$CLIENT_ID" --client-secret "$CLIENT_SECRET" "${AM_PIN[@]}"
am_push "tls_client_auth (CA-issued certificate)" "$AM_MTLS" tls_client_auth bench-tls "${AM_PIN[@]}" --cert "$AM_KEYS/client-cert.pem" --cert-key "$AM_KEYS/client-cert-key.pem"
am_push "self_signed_tls_client_auth" "$AM_MTLS" self_signed_tls_client_auth bench-self "${AM_PIN[@]}" --cert "$AM_KEYS/self-cert.pem" --cert-key "$AM_KEYS/self-cert-key.pem"
AM_RSS=$(vmhwm_mb "$AM_PID")
stop "$AM_PID"

AM_BASE=$(field "${AM_RESULTS[0]#*|}" rps)
AM_BASE_CPU=$(field "${AM_RESULTS[0]#*|}" server_cpu_us_per_req)
am_rows() {
  local entry label result
  for entry in "${AM_RESULTS[@]}"; do
    label=${entry%%|*}
    result=${entry#*|}
    printf '| %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s%% |\n' "$label" "$(field "$result" rps)" \
      "$(ratio "$(field "$result" rps)" "$AM_BASE")" "$(ms "$(field "$result" p50_us)")" "$(ms "$(field "$result" p99_us)")" \
      "$(field "$result" bad)" "$(field "$result" server_cpu_us_per_req)" "$(ratio "$(field "$result" server_cpu_us_per_req)" "$AM_BASE_CPU")" \
      "$(field "$result" server_cpu_pct)" "$(field "$result" client_cpu_pct)"
  done
}
section "## POST /par per client-authentication method, SQLite, one node

bench/Flow \`flow push\` ($CONNECTIONS workers, one HTTP/1.1 connection each) on CPU $LOAD_CPU, server on CPU $SERVER_CPU; the same
parameters as the wrk run; JWT assertions (iss = sub = client, aud = issuer, fresh jti, 60 s) are signed per request by the
generator. Ratios are against client_secret_basic driven by this same generator in this run. The TLS rows use the mTLS
listener (\`--mtls-urls\`, the kept self-signed loopback certificate, TLS 1.3, one handshake per connection, connections kept
alive): compare the two mTLS methods with "client_secret_basic over TLS" to separate the method from the encryption. Peak RSS over all methods:
$AM_RSS MB. Load average at the start: $SCENARIO_LOAD_BEFORE.

| method | requests/s | / client_secret_basic | p50 ms | p99 ms | bad | server CPU µs/req | CPU / client_secret_basic | server CPU | generator CPU |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$(am_rows)
"
