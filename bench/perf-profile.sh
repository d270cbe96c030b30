# Where POST /par's CPU goes under load (sourced by bench/scenarios/sqlite.sh). A Parapet instance of its own, started with
# the runtime's perf map (DOTNET_PerfMapEnabled=1: names of JIT-compiled and precompiled methods in /tmp/perf-PID.map) and
# with W^X off (DOTNET_EnableWriteXorExecute=0: otherwise compiled code runs from a second mapping perf cannot name), warmed
# up like the measured runs, then sampled by `perf record` (cpu-clock, PERF_HZ per second, kernel included) for PERF_SECONDS
# under the same wrk load. perf samples the server's CPU rather than the server's threads: per-thread events are switched in
# and out at every context switch, which on this VM halved the server's throughput (22.4 k -> 12.7 k req/s); CPU-wide
# sampling did not slow it. The report keeps the server's samples. The samples are grouped by where the code lives (Parapet's assemblies,
# ASP.NET Core, .NET's libraries, SQLite, the runtime, the kernel, ...) and the hottest methods listed.
# Why sampling instead of timing steps in-process: a loop that times one push at a time waits for every commit and runs each
# step on a cold, just-woken core (until session 9 its steps summed to 4-5x the server's CPU per push under load). The samples
# are taken in the server as it runs under the benchmark's load.
PERF_HZ=${PERF_HZ:-999}
PERF_SECONDS=${PERF_SECONDS:-10}

# perf report's lines ("  12.34%|dso|[k] symbol") -> "share|group|symbol"
perf_groups() {
  awk -F'|' '
    function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
    {
      share = trim($1); sub(/%$/, "", share); dso = trim($2); sym = trim($3); sub(/^\[[.k]\] /, "", sym)
      if (dso == "[kernel.kallsyms]") group = "kernel: system calls, sockets, scheduling, page cache"
      else if (dso ~ /sqlite3/) group = "SQLite (native library)"
      else if (dso ~ /libcrypto|libssl/) group = "OpenSSL (SHA-256, random bytes)"
      else if (dso ~ /^libc\.so|^ld-linux/) group = "libc (memcpy, malloc, locks)"
      else if (dso ~ /libcoreclr|libclrjit|libSystem\.Native|libclrgc/ || sym ~ /^stub / || dso == "[unknown]") group = "runtime, native: GC, JIT, type system, interop"
      else if (dso ~ /\.dll$/ || match(sym, /\[[A-Za-z0-9_.]+\]/)) {
        # Precompiled code perf could not name is attributed to its assembly file; named code to the assembly in its name.
        if (dso ~ /\.dll$/) { assembly = dso; sub(/\.dll$/, "", assembly) } else assembly = substr(sym, RSTART + 1, RLENGTH - 2)
        if (assembly ~ /^(Parapet|parapet)/) group = "Parapet (managed)"
        else if (assembly ~ /^Microsoft\.EntityFrameworkCore/) group = "EF Core"
        else if (assembly ~ /^(Microsoft\.Data\.Sqlite|SQLitePCLRaw)/) group = "Microsoft.Data.Sqlite + SQLitePCLRaw (managed)"
        else if (assembly ~ /^Microsoft\.(AspNetCore|Extensions|Net\.Http)/) group = "ASP.NET Core: Kestrel, routing, form reader, middleware"
        else if (assembly ~ /^Microsoft\.IdentityModel/) group = "Microsoft.IdentityModel"
        else if (assembly ~ /^System/) group = ".NET libraries: threading, collections, text, JSON, sockets"
        else group = "other managed (" assembly ")"
      }
      else group = "other native (" dso ")"
      print share "|" group "|" sym
    }'
}

# perf_profile: sets PERF_RESULT (a wrk RESULT line of the sampled window) and PERF_SECTION (markdown); needs perf.
perf_profile() {
  local data report samples
  PERF_SECTION=""
  new_data_dir data
  DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 start_parapet PERFRUN "$SERVER_CPU" "$data"
  setup_client "$PERFRUN_URL" "$data"
  warm_memory
  log "perf: warm-up ${PAR_WARMUP}s, then ${PERF_SECONDS}s sampled at ${PERF_HZ} Hz"
  taskset -c "$LOAD_CPU" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${PAR_WARMUP}s" --timeout 5s -s bench/wrk/par.lua "$PERFRUN_URL/par" >/dev/null 2>&1
  perf record -q -e cpu-clock -F "$PERF_HZ" -C "$SERVER_CPU" -o "$LOGS/perf.data" -- sleep "$PERF_SECONDS" >"$LOGS/perf-record.log" 2>&1 &
  local recorder=$!
  PERF_RESULT=$(taskset -c "$LOAD_CPU" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${PERF_SECONDS}s" --timeout 5s -s bench/wrk/par.lua "$PERFRUN_URL/par" | grep '^RESULT')
  wait "$recorder" || { cat "$LOGS/perf-record.log" >&2; return 1; }
  # The map must still be there when perf resolves the names: report before the server stops. One report: its header
  # ("# Samples: 9K of event ...") gives the count, its other lines the samples by function.
  perf report -i "$LOGS/perf.data" --pid "$PERFRUN_PID" --stdio --no-children -g none --sort dso,sym -t '|' >"$LOGS/perf-report.txt" 2>/dev/null
  grep -v '^#' "$LOGS/perf-report.txt" | grep '|' | perf_groups >"$LOGS/perf-groups.txt"
  samples=$(awk '/^# Samples:/ && !n { n = $3 } END { print n }' "$LOGS/perf-report.txt")
  stop "$PERFRUN_PID"
  rm -f "/tmp/perf-$PERFRUN_PID.map" "/tmp/perfinfo-$PERFRUN_PID.map"
  drop_data "$data"
  report=$(awk -F'|' '{ share[$2] += $1 } END { for (g in share) printf "%.1f|%s\n", share[g], g }' "$LOGS/perf-groups.txt" | sort -t'|' -k1,1gr |
    awk -F'|' '$1 >= 0.1 { printf "| %s | %.1f %% |\n", $2, $1 }')
  PERF_SECTION="### Where the server's CPU goes under this load (perf, sampled)

A Parapet instance of its own (started with \`DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0\` for method names), warmed up ${PAR_WARMUP} s, then
${PERF_SECONDS} s of the same wrk load while \`perf record -e cpu-clock -F ${PERF_HZ} -C ${SERVER_CPU}\` sampled the server's CPU (${samples:-?} samples of the server):
$(printf '%.0f' "$(field "$PERF_RESULT" rps)") requests/s during the sampling. Shares of the server's samples (groups under 0.1 % left out):

| where the code lives | share |
| --- | ---: |
$report

The hottest functions (self time, share of the server's samples):

| share | where | function |
| ---: | --- | --- |
$(sort -t'|' -k1,1gr "$LOGS/perf-groups.txt" | awk 'NR <= 25' | awk -F'|' '{ s = $3; gsub(/\|/, "/", s); if (length(s) > 150) s = substr(s, 1, 147) "..."; printf "| %.2f %% | %s | `%s` |\n", $1, $2, s }')
"
}
