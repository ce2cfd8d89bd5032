#!/usr/bin/env bash
# A cheating dealer in the DKG (docs/protocol.md s.4, s.15): trustee 2 seals
# a wrong share to trustee 3, who opens it, sees it fail the commitments and
# posts a complaint revealing the share and the pair's key; the key entry
# leaves trustee 2 out of "qualified" and of K; the disqualified trustee's
# decryption is refused; trustees 1, 3, 4 decrypt (5 absent) and the result
# is right. Starts its own server on 127.0.0.1.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
start_server

clock "$(msk '2026-06-20 12:00')"
cat >"$T/spec.json" <<'JSON'
{"id":"c-ref","title":{"en":"Complaint test"},"timezone":"Europe/Moscow",
 "opens_at":"2026-07-01T00:00","closes_at":"2026-07-15T23:59:30","announce_at":"2026-07-31T12:00",
 "trustees":{"n":5,"t":3},
 "regions":[{"id":"novgorod","name":{"en":"Novgorod"},
   "questions":[{"text":{"en":"Restore the court?"},"choices":[{"en":"Yes"},{"en":"No"}],"min":1,"max":1}]}]}
JSON
"$URNA" referendum create "$T/spec.json" "${A[@]}" >/dev/null || fail "create"
"$URNA" credentials generate --referendum c-ref --region novgorod --count 3 --out "$T/creds" >/dev/null
"$URNA" credentials upload "$T/creds/novgorod.public.json" "${A[@]}" >/dev/null || fail "upload"
for i in 1 2 3 4 5; do "$URNA" trustee keygen --index $i --out "$T/t$i.key" >/dev/null; done
pids=()
for i in 1 2 3 4 5; do
	extra=(); [ $i = 2 ] && extra=(--test-bad-share 3)
	"$URNA" trustee dkg --referendum c-ref --index $i --key "$T/t$i.key" --no-wait --timeout 60 "${A[@]}" "${extra[@]}" \
		>"$T/dkg$i.log" 2>&1 &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "dkg: $(cat "$T"/dkg*.log)"; done
grep -q "share from trustee 2 is BAD: complaint posted" "$T/dkg3.log" || fail "no complaint: $(cat "$T/dkg3.log")"
! grep -q "BAD" "$T/dkg1.log" "$T/dkg4.log" "$T/dkg5.log" || fail "spurious complaint"
"$URNA" referendum key c-ref "${A[@]}" || fail "key"
curl -fs "$S/api/referendums/c-ref/board" >"$T/board.jsonl"
grep '"type":"complaint"' "$T/board.jsonl" | grep -q '"against":2' || fail "complaint not on the board"
grep '"type":"key"' "$T/board.jsonl" | grep -q '"qualified":\[1,3,4,5\]' || fail "trustee 2 still qualified"
for i in 1 2 3 4 5; do
	"$URNA" trustee dkg --referendum c-ref --index $i --key "$T/t$i.key" --timeout 10 "${A[@]}" >/dev/null ||
		fail "dkg finish $i"
done

mapfile -t C <"$T/creds/novgorod.private"
clock "$(msk '2026-07-01 00:00')"
for k in 0 1; do "$URNA" vote --referendum c-ref --region novgorod --server "$S" --credential "${C[$k]}" --choice 1 >/dev/null || fail "vote $k"; done
"$URNA" vote --referendum c-ref --region novgorod --server "$S" --credential "${C[2]}" --choice 2 >/dev/null || fail "vote 2"
clock "$(msk '2026-07-15 23:59:31')"
"$URNA" tally --referendum c-ref "${A[@]}" >/dev/null || fail "tally"
if "$URNA" trustee decrypt --referendum c-ref --index 2 --key "$T/t2.key" "${A[@]}" 2>"$T/err"; then
	fail "the disqualified trustee's decryption was accepted"
fi
for i in 1 3 4; do
	"$URNA" trustee decrypt --referendum c-ref --index $i --key "$T/t$i.key" "${A[@]}" >/dev/null || fail "decrypt $i"
done
clock "$(msk '2026-07-31 12:00')"
"$URNA" publish --referendum c-ref "${A[@]}" >/dev/null || fail "publish"
"$URNA" results --referendum c-ref --server "$S" | tee "$T/results.txt"
grep -Eq "Yes +2 +66\.7%" "$T/results.txt" || fail "yes"
grep -Eq "No +1 +33\.3%" "$T/results.txt" || fail "no"
"$URNA" export --referendum c-ref --out "$T/record" --server "$S" >/dev/null || fail "export"
"$URNA" verify "$T/record" || fail "urna verify rejects the record with a complaint"
echo "trustee_complaint: ok"
