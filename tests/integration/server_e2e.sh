#!/usr/bin/env bash
# A referendum end to end over HTTP against a real `urna serve`
# (docs/api.md), every role with its own key (protocol 2): create (signed by
# the organizer; an unsigned spec and a second creation refused),
# credentials and the region's electorate entry, a 2-of-2 trustee key, a
# schedule change before and after opening, ballots, a re-vote, an identical
# resubmission (200, no second entry), too early / closed refusals, a
# restart on the same database losing nothing, tally, decryptions, publish,
# results, trackers; each line's author in "by".
set -euo pipefail
source "$(dirname "$0")/lib.sh"
start_server

clock "$(msk '2026-06-20 12:00')"
make_spec "$T/spec.json" <<'JSON'
{"id":"e2e","title":{"en":"End to end"},"timezone":"Europe/Moscow",
 "opens_at":"2026-07-01T00:00","closes_at":"2026-07-15T23:59","announce_at":"2026-07-16T12:00",
 "trustees":{"n":2,"t":2},
 "regions":[{"id":"north","name":{"en":"North"},
   "questions":[{"text":{"en":"Yes or no?"},"choices":[{"en":"Yes"},{"en":"No"}],"min":1,"max":1}]}]}
JSON
"$URNA" referendum create "$T/spec.json" "${O[@]}" >/dev/null || fail "create"
# s.10: local wall time in the named zone, stated exactly.
curl -fsS "$S/api/referendums/e2e" >"$T/ref.json"
grep -q '"opens_at":{"local":"2026-07-01T00:00","utc":1782853200}' "$T/ref.json" || fail "opens_at: $(cat "$T/ref.json")"
grep -q '"status":"draft"' "$T/ref.json" || fail "status draft"
grep -q '"by":"organizer"' "$T/ref.json" || fail "no organizer role: $(cat "$T/ref.json")"
# The spec itself, unsigned, is no creation (even with the admin token: it
# speaks for no role); the same creation again is a conflict.
code=$(curl -s -o "$T/out" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
	--data-binary @"$T/spec.json" "$S/api/referendums")
[ "${code:0:1}" = 4 ] && grep -q '"error":"malformed"' "$T/out" || fail "unsigned create: $code $(cat "$T/out")"
if "$URNA" referendum create "$T/spec.json" "${O[@]}" >/dev/null 2>"$T/err"; then fail "duplicate create"; fi
grep -q "409 conflict" "$T/err" || fail "duplicate create: $(cat "$T/err")"

"$URNA" credentials generate --referendum e2e --region north --count 4 --out "$T/creds" >/dev/null || fail "generate"
"$URNA" credentials upload "$T/creds/north.public.json" "${AU[@]}" >/dev/null || fail "upload"
# Once the region's electorate is on the board, no list is added to it: a
# second upload of the same file says it is done and adds nothing; another
# file is refused.
n1=$(curl -fsS "$S/api/referendums/e2e/board" | wc -l)
"$URNA" credentials upload "$T/creds/north.public.json" "${AU[@]}" >"$T/out" 2>"$T/err" || fail "second upload: $(cat "$T/err")"
grep -q "nothing to upload: the electorate of e2e/north is already final, 4 credentials" "$T/out" || fail "second upload: $(cat "$T/out")"
"$URNA" credentials generate --referendum e2e --region north --count 2 --out "$T/creds2" >/dev/null || fail "generate 2"
if "$URNA" credentials upload "$T/creds2/north.public.json" "${AU[@]}" >/dev/null 2>"$T/err"; then fail "another file after the electorate"; fi
grep -q "north.*not this file's" "$T/err" || fail "another file: $(cat "$T/err")"
[ "$(curl -fsS "$S/api/referendums/e2e/board" | wc -l)" = "$n1" ] || fail "the second upload added entries"
curl -fsS "$S/api/referendums/e2e" | grep -q '"electorate":4,"electorate_final":true' || fail "electorate: $(curl -fsS "$S/api/referendums/e2e")"
mapfile -t C <"$T/creds/north.private"

ceremony e2e 2
curl -fsS "$S/api/referendums/e2e" | grep -q '"status":"scheduled"' || fail "status scheduled"

V=(--referendum e2e --region north --server "$S")
if "$URNA" vote "${V[@]}" --credential "${C[0]}" --choice 1 2>"$T/err" >/dev/null; then fail "ballot before opening"; fi
grep -q not_open "$T/err" || fail "early ballot: $(cat "$T/err")"

# Before opening, any change; it is a board entry, the organizer's.
"$URNA" referendum schedule e2e --opens 2026-06-30T00:00 --reason "earlier start" "${O[@]}" >/dev/null || fail "schedule"
curl -fsS "$S/api/referendums/e2e/board" | grep -q '"kind":"schedule","by":"organizer"' || fail "no schedule entry"

clock "$(msk '2026-07-01 10:00')"
curl -fsS "$S/api/referendums/e2e" | grep -q '"status":"open"' || fail "status open"
"$URNA" vote "${V[@]}" --credential "${C[0]}" --choice 1 --save "$T/b0.json" >"$T/v0" || fail "vote 0"
"$URNA" vote "${V[@]}" --credential "${C[1]}" --choice 2 >/dev/null || fail "vote 1"
# A blank vote where the question takes none (min 1) is refused before anything is sent.
if "$URNA" vote "${V[@]}" --credential "${C[3]}" --choice 0 >/dev/null 2>"$T/err"; then fail "a blank vote under min 1"; fi
grep -q "question 1 takes no blank vote: choose 1 of its 2 choices" "$T/err" || fail "blank vote: $(cat "$T/err")"
"$URNA" vote "${V[@]}" --credential "${C[2]}" --choice 1 >"$T/v2" || fail "vote 2"
"$URNA" vote "${V[@]}" --credential "${C[2]}" --choice 2 >/dev/null || fail "re-vote 2"
first2=$(sed -n 's|.*tracker=||p' "$T/v2")

# Identical resubmission: 200, same tracker, no second entry.
before=$(curl -fsS "$S/api/referendums/e2e/board" | grep -c '"kind":"ballot"')
code=$(curl -s -o "$T/re.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
	--data-binary @"$T/b0.json" "$S/api/referendums/e2e/regions/north/ballots")
[ "$code" = 200 ] || fail "resubmission: $code $(cat "$T/re.json")"
trk0=$(sed -E 's/.*"tracker":"([^"]+)".*/\1/' "$T/re.json")
grep -qF -- "$trk0" "$T/v0" || fail "resubmission tracker differs"
after=$(curl -fsS "$S/api/referendums/e2e/board" | grep -c '"kind":"ballot"')
[ "$before" = 4 ] && [ "$after" = 4 ] || fail "ballots on board: $before then $after"
curl -fsS "$S/api/referendums/e2e/trackers/$trk0" >"$T/t0"
grep -q '"last_for_credential":true' "$T/t0" && grep -q '"counted":null' "$T/t0" || fail "tracker: $(cat "$T/t0")"
# The tracker text `urna vote` printed (52 characters in groups of four) is
# the one both answers give, and the API finds the ballot by it.
txt0=$(sed -n 's|^tracker: ||p' "$T/v0")
[ "${#txt0}" = 64 ] || fail "tracker text of ${#txt0} characters: $txt0"
grep -qF -- "\"tracker_text\":\"$txt0\"" "$T/re.json" || fail "ballot answer's tracker_text: $(cat "$T/re.json")"
curl -fsS "$S/api/referendums/e2e/trackers/$txt0" | grep -qF -- "\"tracker_text\":\"$txt0\"" || fail "tracker by its text"
grep -qF -- "check it: $S/tracker.html?ref=e2e&tracker=$txt0" "$T/v0" || fail "vote's link: $(cat "$T/v0")"

# After opening only extensions.
if "$URNA" referendum schedule e2e --opens 2026-07-02T00:00 --reason x "${O[@]}" >/dev/null 2>"$T/err"; then
	fail "moving opens_at after opening"
fi
grep -q "HTTP 409 wrong_state" "$T/err" || fail "moving opens_at after opening: $(cat "$T/err")"
"$URNA" referendum schedule e2e --closes 2026-07-16T23:59 --announce 2026-07-17T12:00 --reason "one more day" "${O[@]}" >/dev/null ||
	fail "extension"

# Restart on the same database: nothing lost, same head. (Only a signed
# checkpoint may come after what was read: the server adds them on its own.)
curl -fsS "$S/api/referendums/e2e/board" >"$T/board1"
head1=$(curl -fsS "$S/api/referendums/e2e/head")
stop_server TERM
start_server
V=(--referendum e2e --region north --server "$S")
curl -fsS "$S/api/referendums/e2e/board" >"$T/board2"
board_extends "$T/board1" "$T/board2" || fail "board changed across restart"
head_on_board "$head1" "$T/board2" || fail "head changed across restart"
curl -fsS "$S/api/referendums/e2e" | grep -q '"closes_at":{"local":"2026-07-16T23:59"' || fail "schedule lost on restart"

code=$(curl -s -o "$T/res" -w '%{http_code}' "$S/api/referendums/e2e/results")
[ "$code" = 403 ] && grep -q too_early "$T/res" && grep -q announce_at "$T/res" || fail "early results: $code $(cat "$T/res")"

# The extended close: 23:59 includes that whole minute (s.10).
clock $(( $(msk '2026-07-16 23:59') + 59 ))
"$URNA" vote "${V[@]}" --credential "${C[3]}" --choice 1 >/dev/null || fail "vote in the last minute"
clock "$(msk '2026-07-17 00:00')"
if "$URNA" vote "${V[@]}" --credential "${C[3]}" --choice 2 2>"$T/err" >/dev/null; then fail "ballot after the close"; fi
grep -q closed "$T/err" || fail "late ballot: $(cat "$T/err")"

"$URNA" tally --referendum e2e "${O[@]}" >/dev/null || fail "tally"
# The organizer's close, then one tally a region, the server's.
curl -fsS "$S/api/referendums/e2e/board" | grep -q '"kind":"close","by":"organizer"' || fail "no close entry"
curl -fsS "$S/api/referendums/e2e/board" | grep -q '"kind":"tally","region":"north","by":"server"' || fail "no tally entry"
curl -fsS "$S/api/referendums/e2e/trackers/$first2" | grep -q '"last_for_credential":false,.*\|"counted":false' || fail "replaced ballot"
for i in 1 2; do
	"$URNA" trustee decrypt --referendum e2e --key "$T/t$i.key" "${A[@]}" >/dev/null || fail "decrypt $i"
done
if "$URNA" publish --referendum e2e "${O[@]}" >/dev/null 2>"$T/err"; then fail "publish before announce_at"; fi
grep -q "HTTP 403 too_early" "$T/err" || fail "publish before announce_at: $(cat "$T/err")"
clock "$(msk '2026-07-17 12:00')"
"$URNA" publish --referendum e2e "${O[@]}" >/dev/null || fail "publish"
curl -fsS "$S/api/referendums/e2e/results" >"$T/results.json"
# C0 yes, C1 no, C2 yes then no, C3 yes: yes 2, no 2.
grep -q '"cast":5' "$T/results.json" && grep -q '"counted":4' "$T/results.json" || fail "cast/counted: $(cat "$T/results.json")"
python3 -c 'import json,sys; q=json.load(open(sys.argv[1]))["regions"][0]["questions"][0]
sys.exit(not ([(c["count"], c["percent"], c["text"]["en"]) for c in q["choices"]] == [(2, "50.0", "Yes"), (2, "50.0", "No")]))' \
	"$T/results.json" || fail "counts: $(cat "$T/results.json")"
curl -fsS "$S/api/referendums/e2e" | grep -q '"status":"published"' || fail "status published"
curl -fsS "$S/api/referendums/e2e/record/results.csv" | grep -q '^north,1,1,2,' || fail "results.csv"
curl -fsS "$S/api/referendums/e2e/record/board.jsonl" >"$T/record.jsonl"
curl -fsS "$S/api/referendums/e2e/board" >"$T/board3"
board_extends "$T/record.jsonl" "$T/board3" || fail "record board"
# The organizer's publish entry, then the server's results; every line but
# a ballot names its author and is signed.
python3 - "$T/record.jsonl" <<'PY' || fail "authors on the board"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
kinds = [(l['kind'], l.get('by')) for l in lines if l['kind'] in ('publish', 'result')]
assert kinds == [('publish', 'organizer'), ('result', 'server')], kinds
assert lines[-2]['body']['announce_at'] == {'local': '2026-07-17T12:00', 'utc': 1784278800}, lines[-2]
for l in lines:
    assert ('by' in l and 'sig' in l) == (l['kind'] != 'ballot'), l
PY
python3 "$(dirname "$0")/urnasign.py" verify "$T/record.jsonl" >/dev/null || fail "a signature of the record does not verify in Python"
curl -fsS "$S/api/referendums/e2e/trackers/$trk0" | grep -q '"counted":true' || fail "counted tracker"
echo "server_e2e: ok"
