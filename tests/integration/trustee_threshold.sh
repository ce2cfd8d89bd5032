#!/usr/bin/env bash
# The tally and threshold paths by hand, each trustee a separate process with
# its own identity key file (docs/protocol.md s.4, s.8, s.17): a 3-of-5
# Pedersen DKG over the board, each trustee's state file beside its key,
# ballots with a re-vote, the tally, trustee 4 absent, trustee 5 cheating
# (its decryption proof is refused 422 bad_proof and the count goes on with
# the honest ones), publication refused before announce_at then done,
# export, the counts checked, and every trustee's `urna trustee check`
# holding. Starts its own server on 127.0.0.1.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
start_server

clock "$(msk '2026-06-20 12:00')"
make_spec "$T/spec.json" <<'EOF'
{"id":"t-ref","title":{"en":"Threshold test","ru":"Проверка порога"},"timezone":"Europe/Moscow",
 "opens_at":"2026-07-01T00:00","closes_at":"2026-07-15T23:59","announce_at":"2026-07-31T12:00",
 "trustees":{"n":5,"t":3},
 "regions":[{"id":"karelia","name":{"en":"Karelia","ru":"Карелия"},
   "questions":[{"text":{"en":"Protect the forest?","ru":"Защитить лес?"},
     "choices":[{"en":"Yes","ru":"Да"},{"en":"No","ru":"Нет"}],"min":0,"max":1}]}]}
EOF
"$URNA" referendum create "$T/spec.json" "${O[@]}" || fail "create"
"$URNA" credentials generate --referendum t-ref --region karelia --count 6 --out "$T/creds" || fail "generate"
[ "$(stat -c %a "$T/creds/karelia.private")" = 600 ] || fail "private credentials not 0600"
"$URNA" credentials upload "$T/creds/karelia.public.json" "${AU[@]}" || fail "upload"
"$URNA" credentials check "$T/creds/karelia.public.json" "${AU[@]}" || fail "credentials check"

# Key ceremony: five processes, each its own key file; where each stands in
# the spec (t1.pub .. t5.pub) is its index.
pids=()
for i in 1 2 3 4 5; do
	"$URNA" trustee dkg --referendum t-ref --key "$T/t$i.key" --no-wait --timeout 60 "${A[@]}" \
		>"$T/dkg$i.log" 2>&1 &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "dkg: $(cat "$T"/dkg*.log)"; done
for i in 1 2 3 4 5; do grep -q "trustee $i: posted its commitments" "$T/dkg$i.log" || fail "t$i.key is not trustee $i: $(cat "$T/dkg$i.log")"; done
"$URNA" referendum key t-ref "${O[@]}" || fail "key"
for i in 1 2 3 4 5; do
	"$URNA" trustee dkg --referendum t-ref --key "$T/t$i.key" --timeout 10 "${A[@]}" || fail "dkg finish $i"
	grep -q '"share"' "$T/t$i.t-ref.dkg" || fail "no share in t$i.t-ref.dkg"
	[ "$(stat -c %a "$T/t$i.t-ref.dkg")" = 600 ] || fail "t$i.t-ref.dkg is not 0600"
	! grep -q '"share"\|"poly"' "$T/t$i.key" || fail "the identity key file t$i.key holds the referendum's secrets"
done

# Voting: 2 yes, 1 no, 1 re-vote no -> yes, 1 blank; one credential unused.
mapfile -t C <"$T/creds/karelia.private"
clock "$(msk '2026-07-01 00:01')"
V=(--referendum t-ref --region karelia --server "$S")
"$URNA" vote "${V[@]}" --credential "${C[0]}" --choice 1 >/dev/null || fail "vote 0"
"$URNA" vote "${V[@]}" --credential "${C[1]}" --choice 1 >/dev/null || fail "vote 1"
"$URNA" vote "${V[@]}" --credential "${C[2]}" --choice 2 >/dev/null || fail "vote 2"
"$URNA" vote "${V[@]}" --credential "${C[3]}" --choice 2 --save "$T/first.json" >/dev/null || fail "vote 3"
"$URNA" vote "${V[@]}" --credential "${C[3]}" --choice 1 >"$T/vote3.out" || fail "re-vote 3"
grep -q tracker "$T/vote3.out" || fail "no tracker printed"
"$URNA" vote "${V[@]}" --credential "${C[4]}" --choice 0 >/dev/null || fail "blank vote"
"$URNA" vote "${V[@]}" --credential "${C[5]}" --answers 1 --audit "$T/audit.json" >/dev/null || fail "audit"
"$URNA" audit-ballot "$T/audit.json" | grep -q "audit OK" || fail "audit-ballot"

# Tally before the close is refused; after it, done.
if "$URNA" tally --referendum t-ref "${O[@]}" 2>"$T/err"; then fail "tally before the close accepted"; fi
clock "$(msk '2026-07-16 00:01')"
if "$URNA" vote "${V[@]}" --credential "${C[5]}" --choice 1 2>"$T/err"; then fail "ballot after close accepted"; fi
grep -q 403 "$T/err" || fail "late ballot: $(cat "$T/err")"
"$URNA" tally --referendum t-ref "${O[@]}" || fail "tally"

# Trustee 5 cheats: refused with 422 and a non-zero exit.
set +e
"$URNA" trustee decrypt --referendum t-ref --key "$T/t5.key" --test-bad-proof "${A[@]}" 2>"$T/err"
rc=$?
set -e
[ $rc -ne 0 ] || fail "bad decryption proof accepted"
grep -q "422" "$T/err" || fail "cheat not refused with 422: $(cat "$T/err")"
# Trustee 4 is absent; 1, 2, 3 decrypt.
if "$URNA" publish --referendum t-ref "${O[@]}" 2>"$T/err"; then fail "published without decryptions"; fi
for i in 1 2 3; do
	"$URNA" trustee decrypt --key "$T/t$i.key" "${A[@]}" || fail "decrypt $i"  # its state file names the referendum
done
if "$URNA" publish --referendum t-ref "${O[@]}" 2>"$T/err"; then fail "published before announce_at"; fi
grep -qi "too_early\|403" "$T/err" || fail "early publish reason: $(cat "$T/err")"
clock "$(msk '2026-07-31 12:01')"
"$URNA" publish --referendum t-ref "${O[@]}" || fail "publish"
"$URNA" results --referendum t-ref --server "$S" | tee "$T/results.txt"
grep -Eq "Yes +3 +75\.0%" "$T/results.txt" || fail "yes count"
grep -Eq "No +1 +25\.0%" "$T/results.txt" || fail "no count"
grep -Eq "blank +1" "$T/results.txt" || fail "blank count"
grep -q "ballots cast 6, counted after re-voting 5" "$T/results.txt" || fail "cast/counted"
"$URNA" export --referendum t-ref --out "$T/record" --server "$S" || fail "export"
[ -s "$T/record/board.jsonl" ] || fail "no board.jsonl"
"$URNA" results "$T/record" | grep -q "turnout 83.3%" || fail "results from the record"
[ -s "$T/record/results.json" ] && [ -s "$T/record/results.csv" ] || fail "results files"
"$URNA" verify "$T/record" || fail "urna verify rejects the record"
# Each trustee checks the board and its own part: 1..3 decrypted, 4 was
# absent, 5's refused decryption is not on the board.
for i in 1 2 3 4 5; do
	"$URNA" trustee check --key "$T/t$i.key" "${A[@]}" >"$T/check$i" 2>&1 || fail "trustee check $i: $(cat "$T/check$i")"
done
grep -q "decryptions are its own" "$T/check1" || fail "trustee check 1: $(cat "$T/check1")"
[ "$(grep -c '"kind":"decryption","region":"karelia","by":"trustee-' "$T/record/board.jsonl")" = 3 ] || fail "three decryptions"
echo "trustee_threshold: ok"
