#!/usr/bin/env bash
# Runs every Parapet test. Installs what the tests need and the machine lacks (Debian chromium for the browser tests,
# tmux for the text UI, PostgreSQL server binaries: the storage tests start their own throw-away cluster).
# With CI=true a missing component fails the run; on a developer machine the script tries to install it.
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v tmux >/dev/null 2>&1 || need_apt+=(tmux)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need_apt[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  fi
fi

dotnet build Parapet.slnx -c Debug -nologo -clp:ErrorsOnly
results=$(mktemp -d)
status=0
dotnet test Parapet.slnx --no-build -nologo --logger "trx" --results-directory "$results" 2>&1 | tee "$results/out.txt" || status=$?

# One closing line for CI readers: 'N passed, N failed'.
passed=$(grep -hoE 'Passed: +[0-9]+' "$results/out.txt" | awk '{s+=$2} END {print s+0}')
failed=$(grep -hoE 'Failed: +[0-9]+' "$results/out.txt" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -hoE 'Skipped: +[0-9]+' "$results/out.txt" | awk '{s+=$2} END {print s+0}')
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "${CI:-}" = "true" ] && [ "$skipped" != "0" ]; then
  echo "CI=true: skipped tests count as failures." >&2
  status=1
fi
exit $status
