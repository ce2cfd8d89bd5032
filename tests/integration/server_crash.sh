#!/usr/bin/env bash
# Durability: voters flood the server with ballots and the server is killed
# with SIGKILL in the middle. After a restart on the same database, every
# ballot that was answered 201 (or 200) must be on the board (and the
# receipts that came with the answers hold against it), the chain must
# still be whole (the server checks it when loading), and voting goes on.
# Then the same with SIGTERM (clean exit), and with a flood of prepared
# ballots over keep-alive connections (urna bench intake --crash).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
start_server --quiet
clock "$(msk '2026-06-20 12:00')"
make_spec "$T/spec.json" <<'JSON'
{"id":"k","title":{"en":"Crash"},"timezone":"Europe/Moscow",
 "opens_at":"2026-07-01T00:00","closes_at":"2026-07-15T23:59","announce_at":"2026-07-16T12:00",
 "trustees":{"n":1,"t":1},
 "regions":[{"id":"x","name":{"en":"X"},"questions":[{"text":{"en":"?"},"choices":[{"en":"Yes"},{"en":"No"}],"min":1,"max":1}]}]}
JSON
"$URNA" referendum create "$T/spec.json" "${O[@]}" >/dev/null || fail "create"
"$URNA" credentials generate --referendum k --region x --count 16 --out "$T/creds" >/dev/null || fail "generate"
"$URNA" credentials upload "$T/creds/x.public.json" "${AU[@]}" >/dev/null || fail "upload"
ceremony k 1
clock "$(msk '2026-07-02 12:00')"
mapfile -t C <"$T/creds/x.private"

voter() { # n: votes until the server is gone; logs each accepted tracker, keeps its last receipt
	local n=$1 i=0
	while :; do
		out=$("$URNA" vote --referendum k --region x --server "$S" --credential "${C[$((n * 2 + i % 2))]}" \
			--choice $((i % 2 + 1)) --receipt "$T/receipt.$n" 2>/dev/null) || break
		sed -n 's|.*tracker=||p' <<<"$out" >>"$T/accepted.$n"
		i=$((i + 1))
	done
}
pids=()
for n in 0 1 2 3 4 5 6 7; do voter $n & pids+=($!); done
sleep 3
stop_server KILL
for p in "${pids[@]}"; do wait "$p" || true; done
cat "$T"/accepted.* >"$T/accepted"
total=$(wc -l <"$T/accepted")
[ "$total" -gt 5 ] || fail "only $total ballots accepted before the kill"

start_server --quiet
clock "$(msk '2026-07-02 12:05')"
missing=0
while read -r trk; do
	code=$(curl -s -o /dev/null -w '%{http_code}' "$S/api/referendums/k/trackers/$trk")
	[ "$code" = 200 ] || { echo "lost: $trk ($code)" >&2; missing=$((missing + 1)); }
done <"$T/accepted"
[ "$missing" -eq 0 ] || fail "$missing of $total accepted ballots lost after SIGKILL"
# A receipt is given only for a ballot on disk: each voter's last one, the
# nearest to the kill, holds against the board of the restarted server.
for n in 0 1 2 3 4 5 6 7; do
	[ -s "$T/accepted.$n" ] || continue
	"$URNA" receipt check "$T/receipt.$n" --server "$S" >"$T/rcheck" 2>&1 || fail "a receipt given before SIGKILL: $(cat "$T/rcheck")"
	grep -q "$(tail -n 1 "$T/accepted.$n")" "$T/rcheck" || fail "voter $n's last receipt is not its last ballot's: $(cat "$T/rcheck")"
done
onboard=$(curl -fsS "$S/api/referendums/k/board" | grep -c '"kind":"ballot"')
[ "$onboard" -ge "$total" ] || fail "board has $onboard ballots, $total were accepted"
"$URNA" vote --referendum k --region x --server "$S" --credential "${C[15]}" --choice 1 >/dev/null || fail "vote after restart"
# The board that survived the kill is a valid record for the verifier.
mkdir -p "$T/rec"
curl -fsS "$S/api/referendums/k/record/board.jsonl" >"$T/rec/board.jsonl"
"$URNA" verify "$T/rec" >"$T/verify.out" 2>&1 || fail "urna verify after SIGKILL: $(tail -3 "$T/verify.out")"

# SIGTERM in the middle of a flood: a clean exit (status 0) that finishes
# the queued commits; again nothing answered is lost.
rm -f "$T"/accepted*
pids=()
for n in 0 1 2 3 4 5 6 7; do voter $n & pids+=($!); done
sleep 1.5
kill -TERM "$SERVER_PID"
status=0; wait "$SERVER_PID" || status=$?
SERVER_PID=
[ "$status" = 0 ] || fail "SIGTERM exit status $status"
for p in "${pids[@]}"; do wait "$p" || true; done
cat "$T"/accepted.* >"$T/accepted"
total2=$(wc -l <"$T/accepted")
start_server --quiet
while read -r trk; do
	code=$(curl -s -o /dev/null -w '%{http_code}' "$S/api/referendums/k/trackers/$trk")
	[ "$code" = 200 ] || fail "lost after SIGTERM: $trk ($code)"
done <"$T/accepted"
# A real flood: 16 keep-alive clients casting prepared ballots, SIGKILL
# halfway, restart on the same database, every 201 on the board.
"$URNA" bench intake --clients 16 --seconds 1 --ballots 4000 --crash --json >"$T/flood.json" \
	|| fail "flood crash: $(cat "$T/flood.json")"
grep -q '"missing_from_board":0' "$T/flood.json" || fail "flood crash: $(cat "$T/flood.json")"
echo "flood: $(cat "$T/flood.json")"
echo "server_crash: $total accepted before SIGKILL, all on the board after restart ($onboard ballots);" \
	"$total2 before SIGTERM, all there too"
