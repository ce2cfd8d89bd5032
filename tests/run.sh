#!/usr/bin/env bash
# Runs every test against the binaries in BUILD (default build/): the cmocka
# unit tests, the integration tests (each tests/integration/*.sh starts its own
# real server on 127.0.0.1), and the browser tests unless URNA_NO_WEB=1.
# Ends with the line "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
export URNA="$PWD/$BUILD/urna" BUILD
pass=0; fail=0; failed=()
run() { # name command...
	local name=$1; shift
	local log="$BUILD/test-logs/${name//\//_}.log"
	mkdir -p "$BUILD/test-logs"
	local t0=$SECONDS
	if "$@" >"$log" 2>&1; then
		pass=$((pass + 1)); printf 'ok   %-40s %3ss\n' "$name" $((SECONDS - t0))
	else
		fail=$((fail + 1)); failed+=("$name")
		printf 'FAIL %-40s %3ss (log: %s)\n' "$name" $((SECONDS - t0)) "$log"
		tail -n 30 "$log" | sed 's/^/     | /'
	fi
}
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] && run "unit/$(basename "$t")" "$t"
done
for t in tests/integration/*.sh; do
	[ "$(basename "$t")" = lib.sh ] && continue
	[ -f "$t" ] && run "integration/$(basename "$t" .sh)" bash "$t"
done
if [ "${URNA_NO_WEB:-0}" != 1 ] && [ -f web/package.json ]; then
	scripts/deps.sh web && run "web/browser" node web/tests/run.mjs "$BUILD"
fi
echo
[ ${#failed[@]} -gt 0 ] && printf 'failed: %s\n' "${failed[*]}"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
