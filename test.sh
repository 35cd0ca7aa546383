#!/usr/bin/env bash
# Runs every test suite once: builds the solution once, starts a private PostgreSQL, runs the .NET unit,
# integration (SQLite and PostgreSQL), browser (Chromium) and conformance (Node, Microsoft's azure-devops-node-api) tests, and prints one summary line over all suites: "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)
run="$root/.test-run"
rm -rf "$run/results"; mkdir -p "$run/results"

# A free port from 55432 up: another checkout's test run may hold the first.
pg_port=${ADOBRIDGE_TEST_PG_PORT:-55432}
while (exec 3<>"/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null; do pg_port=$((pg_port + 1)); done
# Outside the checkout: the server runs as user postgres, which may not traverse a private clone folder.
pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/adobridge-pg.XXXXXX")
cleanup() { scripts/postgres.sh stop "$pg_dir" 2>/dev/null || true; rm -rf "$pg_dir"; }
trap cleanup EXIT

echo "== build"
if ! dotnet build AdoBridge.slnx -c Release -nologo -v quiet; then
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi

# Pinned .NET tools the tests run (PowerShell, for its completion test): dotnet-tools.json.
dotnet tool restore >/dev/null || echo "dotnet tool restore failed; the tests that need its tools will fail" >&2

echo "== postgres"
if scripts/postgres.sh start "$pg_dir" "$pg_port"; then
  export ADOBRIDGE_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50"
else
  echo "PostgreSQL did not start; its tests will fail" >&2
fi

echo "== dotnet test"
dotnet test AdoBridge.slnx -c Release --no-build -nologo --logger "trx" --results-directory "$run/results"
dotnet_rc=$?

passed=0; failed=0; skipped=0
for trx in "$run"/results/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
# A crashed test host writes no counters: count it as a failure rather than report a clean run.
if [ "$dotnet_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

echo "== conformance (Microsoft's official Node client through the proxy; Standard Webhooks reference verifier)"
node_log="$run/conformance.tap"
if (cd tests/conformance && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; } && node --test --test-reporter=tap) > "$node_log" 2>&1; then :; fi
grep -E '^(not )?ok ' "$node_log" || true
np=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$node_log" | tail -n 1); nf=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$node_log" | tail -n 1)
if [ -z "$np" ]; then tail -n 20 "$node_log"; np=0; nf=1; fi
passed=$((passed + np)); failed=$((failed + ${nf:-0}))

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]
