#!/usr/bin/env bash
# The server's own `urna verify` of a published board (docs/api.md, "The
# verifier's verdict"; docs/protocol.md s.9): publication starts it in the
# background, GET /verification and the /results answer say "verified" with
# the head it covers; the record's results.json stays without it. Then the
# stored board is damaged and the server restarted: its startup verification
# says "failed", naming the entry at fault, as `urna verify` of an export does.
# Starts its own server on 127.0.0.1.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
# No signed checkpoints here (server_checkpoint.sh tests them): the verdict
# must cover the board to its head, and the damage below edits the last
# line, the result, so that no later line's prev names it.
start_server --checkpoint-every 0
R="$S/api/referendums/v-ref"

# wait_log PATTERN: the server log says PATTERN within 30 s.
wait_log() {
	local i
	for i in $(seq 300); do
		grep -q "$1" "$T/server.log" && return 0
		sleep 0.1
	done
	fail "the server never logged: $1"
}
# verdict: GET /verification into $T/v.json, polled until it is not running.
verdict() {
	local i
	for i in $(seq 300); do
		curl -fsS "$R/verification" >"$T/v.json" || fail "GET /verification: $(cat "$T/v.json")"
		grep -q '"status":"running"' "$T/v.json" || return 0
		sleep 0.1
	done
	fail "still running after 30 s: $(cat "$T/v.json")"
}
# check PYTHON_EXPR: true of v (the verdict), h (the head), res (/results).
check() {
	curl -fsS "$R/head" >"$T/head.json"
	curl -fsS "$R/results" >"$T/results.json"
	python3 -c 'import json,sys
v, h, res = (json.load(open(f)) for f in sys.argv[2:5])
sys.exit(not eval(sys.argv[1]))' "$1" "$T/v.json" "$T/head.json" "$T/results.json" ||
		fail "not true: $1; verdict $(cat "$T/v.json"), head $(cat "$T/head.json")"
}

clock "$(msk '2026-06-20 12:00')"
make_spec "$T/spec.json" <<'EOF'
{"id":"v-ref","title":{"en":"Verdict test"},"timezone":"Europe/Moscow",
 "opens_at":"2026-07-01T00:00","closes_at":"2026-07-15T23:59","announce_at":"2026-07-31T12:00",
 "trustees":{"n":1,"t":1},
 "regions":[{"id":"tver","name":{"en":"Tver"},
   "questions":[{"text":{"en":"Open the library on Sundays?"},"choices":[{"en":"Yes"},{"en":"No"}],"min":0,"max":1}]}]}
EOF
"$URNA" referendum create "$T/spec.json" "${O[@]}" >/dev/null || fail "create"
"$URNA" credentials generate --referendum v-ref --region tver --count 4 --out "$T/creds" >/dev/null || fail "generate"
"$URNA" credentials upload "$T/creds/tver.public.json" "${AU[@]}" >/dev/null || fail "upload"
ceremony v-ref 1

# Nothing to say before the publication: too_early, like the results.
code=$(curl -s -o "$T/err.json" -w '%{http_code}' "$R/verification")
[ "$code" = 403 ] && grep -q '"error":"too_early"' "$T/err.json" || fail "before publication: $code $(cat "$T/err.json")"
code=$(curl -s -o "$T/err.json" -w '%{http_code}' "$S/api/referendums/nope/verification")
[ "$code" = 404 ] && grep -q '"error":"not_found"' "$T/err.json" || fail "unknown referendum: $code $(cat "$T/err.json")"

# Three voters (yes, yes, no), one of them voting twice: four ballots.
mapfile -t C <"$T/creds/tver.private"
clock "$(msk '2026-07-01 00:01')"
V=(--referendum v-ref --region tver --server "$S")
for k in "0 2" "0 1" "1 1" "2 2"; do
	set -- $k
	"$URNA" vote "${V[@]}" --credential "${C[$1]}" --choice "$2" >/dev/null || fail "vote $k"
done
clock "$(msk '2026-07-16 00:01')"
"$URNA" tally --referendum v-ref "${O[@]}" >/dev/null || fail "tally"
"$URNA" trustee decrypt --key "$T/t1.key" "${A[@]}" >/dev/null || fail "decrypt"
clock "$(msk '2026-07-31 12:01')"
"$URNA" publish --referendum v-ref "${O[@]}" >/dev/null || fail "publish"

# The publication itself starts the run: it ends before anyone asks.
wait_log "v-ref: urna verify over the stored board (to line [0-9]*): verified, 4 ballots"
verdict
check 'v["status"] == "verified" and v["seq"] == h["seq"] and v["head"] == h["hash"] and v["ballots"] == 4'
check 'v["checked_at"] == '"$(msk '2026-07-31 12:01')"' and v["verifier"].startswith("urna verify")'
check '"message" not in v and "fault" not in v and res["verification"] == v'
curl -fsS "$R/record/results.json" >"$T/record.json" || fail "record/results.json"
if grep -q verification "$T/record.json"; then fail "the record's results.json carries the verdict"; fi
"$URNA" export --referendum v-ref --out "$T/record" --server "$S" >/dev/null || fail "export"
"$URNA" verify "$T/record" >/dev/null || fail "urna verify rejects the record the server verified"

# A result whose write never reached the store (the line taken out of it,
# as if the disk had failed then): the board ends at a publish entry with a
# region unresulted, and nobody has an entry left to post. The server adds
# it at its next start (and on its checkpoint tick), and the board verifies.
stop_server
python3 - "$T/urna.db" <<'PY' || fail "taking the last result out"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
seq, line = db.execute("SELECT seq, line FROM board WHERE referendum = 'v-ref' ORDER BY seq DESC LIMIT 1").fetchone()
assert '"kind":"result"' in line, line
db.execute("DELETE FROM board WHERE referendum = 'v-ref' AND seq = ?", (seq,))
db.commit()
PY
start_server --checkpoint-every 0
R="$S/api/referendums/v-ref"
curl -fsS "$R/board" | tail -1 | grep -q '"kind":"result","region":"[a-z0-9-]*","by":"server"' ||
	fail "the missing result was not written at start: $(curl -fsS "$R/board" | tail -1 | head -c 200)"
"$URNA" export --referendum v-ref --out "$T/record2" --server "$S" >/dev/null || fail "export after the restart"
"$URNA" verify "$T/record2" >/dev/null || fail "urna verify after the result was written again"

# Damage: the stored result entry (the board's last line) publishes 1 yes
# and 2 no instead of 2 and 1, and is signed again with the server's own
# key (the operator holds it: the result is the server's entry), so its
# signature holds. The startup replay trusts its own board's figures
# (APPLY_TRUSTED: chain, order and state, not signatures, proofs and
# aggregates), so the server starts; being the last line, no later prev
# names its hash, so the chain holds. Only the full verifier, which
# recombines the decryptions, sees it. (A damaged ballot would break the
# chain at the next line and the server would refuse to start: that is
# the replay's job, not the verdict's.)
stop_server
python3 - "$T/urna.db" "$T/urna.db.key" "$(dirname "$0")" <<'PY' || fail "damaging the board"
import sqlite3, sys
sys.path.insert(0, sys.argv[3])
from urnasign import Key, sign_line
db = sqlite3.connect(sys.argv[1])
lines = [l.encode() for (l,) in db.execute("SELECT line FROM board WHERE referendum = 'v-ref' ORDER BY seq")]
line = lines[-1].decode()
assert '"kind":"result"' in line and '"by":"server"' in line and '"counts":[2,1]' in line, line
lines[-1] = line.replace('"counts":[2,1]', '"counts":[1,2]').encode()
db.execute("UPDATE board SET line = ? WHERE referendum = 'v-ref' AND seq = ?",
           (sign_line(lines, len(lines) - 1, Key(sys.argv[2])).decode(), len(lines) - 1))
db.commit()
PY
start_server --checkpoint-every 0
R="$S/api/referendums/v-ref"
wait_log "v-ref: urna verify over the stored board FAILED: entry [0-9]* (result): mismatch"
clock "$(msk '2026-07-31 12:05')"
verdict
check 'v["status"] == "failed" and v["error"] == "mismatch" and "published 1 and 2, which are not the decrypted" in v["message"]'
check 'v["fault"] == {"seq": h["seq"], "kind": "result"} and v["seq"] == h["seq"] and v["head"] == h["hash"]'
check 'v["ballots"] is None and res["verification"] == v'
"$URNA" export --referendum v-ref --out "$T/damaged" --server "$S" >/dev/null || fail "export of the damaged board"
if "$URNA" verify "$T/damaged" 2>"$T/verify.err"; then fail "urna verify accepts the damaged board"; fi
grep -q "entry $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["fault"]["seq"])' "$T/v.json") (result) at fault: mismatch" \
	"$T/verify.err" || fail "urna verify and the server disagree: $(cat "$T/verify.err")"
echo "server_verdict: ok"
