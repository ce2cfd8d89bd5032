#!/usr/bin/env bash
# The demo end to end, small: both rounds (ten regions, 3-of-5 DKG, one
# trustee absent, re-votes, rejected ballots, a postponement), its exit code
# and its verdicts: every region's published percentages are the intended
# ones and `urna verify` accepts both records.
set -uo pipefail
URNA=${URNA:-build/urna}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$URNA" demo --voters 200 --dir "$T/demo" >"$T/out" 2>&1
rc=$?
cat "$T/out"
fail() { echo "FAIL: $*" >&2; tail -n 30 "$T/demo/server.log" >&2 2>/dev/null; exit 1; }
[ $rc -eq 0 ] || fail "demo exited $rc"
grep -q "demo OK" "$T/out" || fail "no OK verdict"
! grep -q "MISMATCH" "$T/out" || fail "a figure differs"
[ "$(grep -c "ok: urna verify: the record checks out" "$T/out")" -eq 2 ] || fail "verify verdicts"
for r in kaliningrad ingria kuban siberia urals chuvashia karelia belgorod novgorod voronezh; do
	grep -Eq "ok: $r " "$T/out" || fail "region $r not checked"
done
grep -q "72.1% / 27.9%" "$T/out" || fail "Kaliningrad 72.1/27.9"
grep -q "55.7% / 44.3%" "$T/out" || fail "Kuban 55.7/44.3"
grep -q "a credential not on the list: refused (cast ballot: HTTP 403 not_on_list" "$T/out" || fail "not-on-list rejection"
grep -q "a ballot after the close: refused (cast ballot: HTTP 403 closed" "$T/out" || fail "late ballot rejection"
grep -q "schedule entry" "$T/out" || fail "postponement"
for r in spring-2026 july-2026; do
	[ -s "$T/demo/$r/record/board.jsonl" ] || fail "$r board.jsonl"
	[ -s "$T/demo/$r/record/results.json" ] || fail "$r results.json"
	[ -s "$T/demo/$r/record/results.csv" ] || fail "$r results.csv"
done
grep -q "serve --db $T/demo/urna.db" "$T/out" || fail "browse hint"
echo "demo_small: ok"
