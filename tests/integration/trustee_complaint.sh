#!/usr/bin/env bash
# A cheating dealer in the DKG (docs/protocol.md s.4, s.15): trustee 2 seals
# a wrong share to trustee 3, who opens it, sees it fail the commitments and
# posts a complaint revealing the share and the pair's key; the key entry
# leaves trustee 2 out of "qualified" and of K, and trustee 2's own dkg and
# `urna trustee check` say so (exit 1); the disqualified trustee's
# decryption is refused (its tool holds no share; the server refuses one
# signed in its name); trustees 1, 3, 4 decrypt (5 absent), the result is
# right and the others' `urna trustee check` holds. Starts its own server
# on 127.0.0.1.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
start_server

clock "$(msk '2026-06-20 12:00')"
make_spec "$T/spec.json" <<'JSON'
{"id":"c-ref","title":{"en":"Complaint test"},"timezone":"Europe/Moscow",
 "opens_at":"2026-07-01T00:00","closes_at":"2026-07-15T23:59:30","announce_at":"2026-07-31T12:00",
 "trustees":{"n":5,"t":3},
 "regions":[{"id":"novgorod","name":{"en":"Novgorod"},
   "questions":[{"text":{"en":"Restore the court?"},"choices":[{"en":"Yes"},{"en":"No"}],"min":1,"max":1}]}]}
JSON
"$URNA" referendum create "$T/spec.json" "${O[@]}" >/dev/null || fail "create"
"$URNA" credentials generate --referendum c-ref --region novgorod --count 3 --out "$T/creds" >/dev/null
"$URNA" credentials upload "$T/creds/novgorod.public.json" "${AU[@]}" >/dev/null || fail "upload"
pids=()
for i in 1 2 3 4 5; do
	extra=(); [ $i = 2 ] && extra=(--test-bad-share 3)
	"$URNA" trustee dkg --referendum c-ref --key "$T/t$i.key" --no-wait --timeout 60 "${A[@]}" "${extra[@]}" \
		>"$T/dkg$i.log" 2>&1 &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "dkg: $(cat "$T"/dkg*.log)"; done
grep -q "share from trustee 2 is BAD: complaint posted" "$T/dkg3.log" || fail "no complaint: $(cat "$T/dkg3.log")"
! grep -q "BAD" "$T/dkg1.log" "$T/dkg4.log" "$T/dkg5.log" || fail "spurious complaint"
"$URNA" referendum key c-ref "${O[@]}" || fail "key"
curl -fs "$S/api/referendums/c-ref/board" >"$T/board.jsonl"
grep '"type":"complaint"' "$T/board.jsonl" | grep '"by":"trustee-3"' | grep -q '"against":2' || fail "complaint not on the board"
grep '"type":"key"' "$T/board.jsonl" | grep '"by":"organizer"' | grep -q '"qualified":\[1,3,4,5\]' || fail "trustee 2 still qualified"
for i in 1 3 4 5; do
	"$URNA" trustee dkg --referendum c-ref --key "$T/t$i.key" --timeout 10 "${A[@]}" >/dev/null ||
		fail "dkg finish $i"
done
# The disqualified trustee's dkg stops: the key entry leaves it out.
if "$URNA" trustee dkg --referendum c-ref --key "$T/t2.key" --timeout 10 "${A[@]}" >"$T/dkg2.out" 2>&1; then
	fail "the disqualified trustee's dkg succeeded: $(cat "$T/dkg2.out")"
fi
grep -q "qualified" "$T/dkg2.out" || fail "the disqualified trustee's dkg: $(cat "$T/dkg2.out")"

mapfile -t C <"$T/creds/novgorod.private"
clock "$(msk '2026-07-01 00:00')"
for k in 0 1; do "$URNA" vote --referendum c-ref --region novgorod --server "$S" --credential "${C[$k]}" --choice 1 >/dev/null || fail "vote $k"; done
"$URNA" vote --referendum c-ref --region novgorod --server "$S" --credential "${C[2]}" --choice 2 >/dev/null || fail "vote 2"
clock "$(msk '2026-07-15 23:59:31')"
"$URNA" tally --referendum c-ref "${O[@]}" >/dev/null || fail "tally"
if "$URNA" trustee decrypt --referendum c-ref --key "$T/t2.key" "${A[@]}" 2>"$T/err"; then
	fail "the disqualified trustee's decryption was accepted"
fi
grep -q "holds no key share" "$T/err" || fail "the disqualified trustee's decrypt: $(cat "$T/err")"
for i in 1 3 4; do
	"$URNA" trustee decrypt --referendum c-ref --key "$T/t$i.key" "${A[@]}" >/dev/null || fail "decrypt $i"
done
# Nor does the server take one: trustee 1's decryption, as trustee 2's and
# signed with trustee 2's key as its next entry, is refused.
curl -fsS "$S/api/referendums/c-ref/board" >"$T/board.jsonl"
python3 - "$T/board.jsonl" "$T/t2.key" "$(dirname "$0")" >"$T/d2.json" <<'PY' || fail "building trustee 2's decryption"
import json, sys
sys.path.insert(0, sys.argv[3])
from urnasign import Key, read_board, request, split
lines = read_board(sys.argv[1])
d = [json.loads(split(l)[1]) for l in lines if split(l)[0]['kind'] == 'decryption' and split(l)[0]['by'] == 'trustee-1'][0]
d['trustee'] = 2
print(json.dumps(request(Key(sys.argv[2]), lines, 'trustee-2', 'decryption', 'novgorod', d)))
PY
code=$(curl -s -o "$T/out" -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary @"$T/d2.json" \
	"$S/api/referendums/c-ref/entries")
[ "${code:0:1}" = 4 ] && grep -q '"message":".*qualified' "$T/out" || fail "trustee 2's decryption: $code $(cat "$T/out")"
clock "$(msk '2026-07-31 12:00')"
"$URNA" publish --referendum c-ref "${O[@]}" >/dev/null || fail "publish"
"$URNA" results --referendum c-ref --server "$S" | tee "$T/results.txt"
grep -Eq "Yes +2 +66\.7%" "$T/results.txt" || fail "yes"
grep -Eq "No +1 +33\.3%" "$T/results.txt" || fail "no"
"$URNA" export --referendum c-ref --out "$T/record" --server "$S" >/dev/null || fail "export"
"$URNA" verify "$T/record" || fail "urna verify rejects the record with a complaint"
# trustee check: the board left trustee 2 out of "qualified", which its check says (exit 1).
for i in 1 3 4 5; do
	"$URNA" trustee check --referendum c-ref --key "$T/t$i.key" "${A[@]}" >"$T/check$i" 2>&1 || fail "trustee check $i: $(cat "$T/check$i")"
done
rc=0; "$URNA" trustee check --referendum c-ref --key "$T/t2.key" "${A[@]}" >"$T/check2" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "qualified" "$T/check2" || fail "trustee check 2: exit $rc: $(cat "$T/check2")"
echo "trustee_complaint: ok"
