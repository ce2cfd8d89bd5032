#!/usr/bin/env bash
# Protocol 2's roles (docs/protocol.md s.15.1, s.17; docs/api.md "Entries"):
# every board entry but a ballot is signed by its author, and the server,
# the verifier and each role's own checks hold every entry to the key the
# referendum names for that author.
#  1. The server refuses, with a JSON reason, a creation by an organizer it
#     does not host (and a server hosting none refuses every creation), a
#     creation naming another server's key, and entries signed by the wrong
#     key, by the wrong author, or replayed (posted twice, or posted to
#     another referendum): a table of signed requests built here in Python
#     (urnasign.py), each with the status and error it must get.
#  2. Credentials: an upload that stopped half way resumes (a list already
#     on the board is not sent again), then the electorate entry; ballots of
#     a region are refused until its electorate is on the board.
#  3. Trustees: the dkg of a key the referendum does not name stops at once;
#     a copy of a trustee's key without its state file stops at the entry
#     in its name that it did not make.
#  4. A record changed in one entry (the chain made right again, so only the
#     entry checks can catch it: a table below) fails `urna verify` naming
#     that entry's seq, or the later entry that the change makes wrong.
#  5. `urna trustee check` and `urna credentials check` hold on the honest
#     board and fail (exit 1) where the board holds other than what they
#     posted: another credentials file, a board served with a changed entry.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"
SIGN="$HERE/urnasign.py"
start_server --checkpoint-every 0     # no checkpoints: the boards below are exactly what was posted
EARLY=$(msk '2026-06-20 12:00')
clock "$EARLY"
keys 3
role_key authority2 authority "South registry"
role_key other-org organizer "Not hosted"
role_key other-server server "Another server"
cat >"$T/ra.json" <<'JSON'
{"id":"ra","title":{"en":"Roles"},"timezone":"Europe/Moscow",
 "opens_at":"2026-07-01T00:00","closes_at":"2026-07-15T23:59","announce_at":"2026-07-16T12:00",
 "trustees":{"t":2,"members":["t1.pub","t2.pub","t3.pub"]},
 "authorities":[{"public":"authority.pub","regions":["north"]},{"public":"authority2.pub","regions":["south"]}],
 "regions":[{"id":"north","name":{"en":"North"},"questions":[{"text":{"en":"?"},"choices":[{"en":"Yes"},{"en":"No"}],"min":1,"max":1}]},
            {"id":"south","name":{"en":"South"},"questions":[{"text":{"en":"?"},"choices":[{"en":"Yes"},{"en":"No"}],"min":1,"max":1}]}]}
JSON
cat >"$T/rb.json" <<'JSON'
{"id":"rb","title":{"en":"Roles B"},"timezone":"Europe/Moscow",
 "opens_at":"2026-07-01T00:00","closes_at":"2026-07-15T23:59","announce_at":"2026-07-16T12:00",
 "trustees":{"t":1,"members":["t1.pub"]},
 "authorities":[{"public":"authority.pub","regions":["x"]}],
 "regions":[{"id":"x","name":{"en":"X"},"questions":[{"text":{"en":"?"},"choices":[{"en":"Yes"},{"en":"No"}],"min":1,"max":1}]}]}
JSON
python3 - "$T" <<'PY'
import json, sys
T = sys.argv[1]
s = json.load(open(T + '/ra.json'))
json.dump(dict(s, id='rc', server='other-server.pub'), open(T + '/rc-other-server.json', 'w'))
json.dump(dict(s, id='rd'), open(T + '/rd.json', 'w'))
PY

# ---- 1. creations
for id in ra rb; do "$URNA" referendum create "$T/$id.json" "${O[@]}" >/dev/null || fail "create $id"; done
if "$URNA" referendum create "$T/rd.json" --key "$T/other-org.key" --server "$S" >/dev/null 2>"$T/err"; then fail "an organizer not hosted created rd"; fi
grep -q 'HTTP 401 unauthorized: this server does not host organizer Not hosted' "$T/err" || fail "organizer not hosted: $(cat "$T/err")"
if "$URNA" referendum create "$T/rc-other-server.json" "${O[@]}" >/dev/null 2>"$T/err"; then fail "a creation naming another server's key"; fi
grep -q "HTTP 422 mismatch: the referendum names server key $("$URNA" keygen --show "$T/other-server.key" | sed -n 's/.*fingerprint: *//p')" "$T/err" ||
	fail "another server's key: $(cat "$T/err")"
# A server started without --organizer hosts no referendum.
"$URNA" serve --db "$T/none.db" --listen 127.0.0.1:0 --port-file "$T/none.port" --test-clock --quiet >"$T/none.log" 2>&1 &
NONE_PID=$!
trap 'kill $NONE_PID 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 100); do [ -s "$T/none.port" ] && break; sleep 0.05; done
SN="http://127.0.0.1:$(cat "$T/none.port")"
curl -fsS "$SN/api/server" | grep -q '"organizers":\[\]' || fail "GET /api/server of a server without --organizer: $(curl -sS "$SN/api/server")"
if "$URNA" referendum create "$T/rd.json" --key "$T/organizer.key" --server "$SN" >/dev/null 2>"$T/err"; then fail "a server without --organizer created rd"; fi
grep -q 'HTTP 401 unauthorized' "$T/err" || fail "a server without --organizer: $(cat "$T/err")"
kill "$NONE_PID"; wait "$NONE_PID" 2>/dev/null || true

# post REF FILE: POST FILE to REF's entries; the status in $code, the answer in $T/resp.
post() { code=$(curl -s -o "$T/resp" -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary @"$2" "$S/api/referendums/$1/entries"); }
board() { curl -fsS "$S/api/referendums/$1/board" >"$T/$1.board" || fail "board of $1"; }
# sign KEY REF BY KIND REGION BODY [N] > FILE: a request, signed with $T/KEY on REF's board as it is now.
sign() { board "$2"; python3 "$SIGN" entry "$T/$1" "$T/$2.board" "${@:3}"; }
# refusals TABLE: each row "NAME | REF | STATUSES | ERROR | KEY BY KIND REGION BODY [N]": the
# request (see sign), posted to REF, must get one of STATUSES ("401,422") and {"error":ERROR,
# "message":...}; the board must not change.
refusals() {
	local name ref statuses error args before
	while IFS='|' read -r name ref statuses error args; do
		name=$(echo $name); ref=$(echo $ref); statuses=$(echo $statuses); error=$(echo $error)
		[ -n "$name" ] && [ "${name:0:1}" != '#' ] || continue
		eval "set -- $args"
		sign "$1" "$ref" "${@:2}" >"$T/req.json" || fail "$name: cannot build the request"
		before=$(wc -l <"$T/$ref.board")
		post "$ref" "$T/req.json"
		case ",$statuses," in *",$code,"*) ;; *) fail "$name: status $code, want $statuses: $(cat "$T/resp")" ;; esac
		grep -q "\"error\":\"$error\"" "$T/resp" && grep -q '"message":"' "$T/resp" || fail "$name: want error $error: $(cat "$T/resp")"
		board "$ref"
		[ "$(wc -l <"$T/$ref.board")" = "$before" ] || fail "$name: the board changed"
		echo "ok   refused: $name: $code $(cat "$T/resp")"
	done
}

# ---- 2. credentials: an upload that stopped after its first list resumes
"$URNA" credentials generate --referendum ra --region north --count 10001 --out "$T/creds" >/dev/null || fail "generate north"
"$URNA" credentials generate --referendum ra --region north --count 4 --out "$T/creds-other" >/dev/null || fail "generate other"
"$URNA" credentials generate --referendum ra --region south --count 3 --out "$T/creds" >/dev/null || fail "generate south"
python3 -c 'import json,sys; print(json.dumps({"credentials": json.load(open(sys.argv[1]))["credentials"][:10000]}))' \
	"$T/creds/north.public.json" >"$T/first10000.json"
sign authority.key ra authority-1 credentials north "@$T/first10000.json" >"$T/req.json"
post ra "$T/req.json"
[ "$code" = 201 ] || fail "the first list, by hand: $code $(cat "$T/resp")"
"$URNA" credentials upload "$T/creds/north.public.json" "${AU[@]}" >"$T/out" 2>&1 || fail "upload resumed: $(cat "$T/out")"
grep -q "uploaded 10001 credentials to ra/north and signed its electorate: 10001" "$T/out" || fail "upload resumed: $(cat "$T/out")"
board ra
[ "$(grep -c '"kind":"credentials","region":"north","by":"authority-1"' "$T/ra.board")" = 2 ] || fail "north's lists: not two"
[ "$(grep -c '"kind":"electorate","region":"north","by":"authority-1"' "$T/ra.board")" = 1 ] || fail "north's electorate entry"
"$URNA" credentials upload "$T/creds/south.public.json" --server "$S" --key "$T/authority2.key" >/dev/null || fail "upload south"
"$URNA" credentials check "$T/creds/north.public.json" "${AU[@]}" >"$T/out" 2>&1 || fail "credentials check north: $(cat "$T/out")"
grep -q "2 lists on the board, byte for byte this file's, all by authority-1" "$T/out" || fail "credentials check north: $(cat "$T/out")"
"$URNA" credentials check "$T/creds/south.public.json" --server "$S" --key "$T/authority2.key" >/dev/null || fail "credentials check south"
# ... and fails (exit 1) for another list of the same region, or under another authority's key.
rc=0; "$URNA" credentials check "$T/creds-other/north.public.json" "${AU[@]}" >"$T/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "credentials check of another list: exit $rc: $(cat "$T/out")"
rc=0; "$URNA" credentials check "$T/creds/north.public.json" --server "$S" --key "$T/authority2.key" >"$T/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "credentials check of north by south's authority: exit $rc: $(cat "$T/out")"

X=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["credentials"][0])' "$T/creds-other/north.public.json")
refusals <<TABLE
# NAME                              | REF | STATUSES    | ERROR         | KEY BY KIND REGION BODY [N]
credentials by the organizer        | ra  | 401         | unauthorized  | organizer.key organizer credentials south '{"credentials":["$X"]}'
credentials by another authority    | ra  | 401         | unauthorized  | authority2.key authority-2 credentials north '{"credentials":["$X"]}'
credentials signed by the organizer | ra  | 422         | bad_signature | organizer.key authority-1 credentials north '{"credentials":["$X"]}'
an electorate signed by a trustee   | ra  | 422         | bad_signature | t1.key authority-2 electorate south '{"electorate":3,"lists":[]}'
a close by a trustee                | ra  | 401         | unauthorized  | t1.key trustee-1 close - '{"closes_at":{"local":"2026-07-15T23:59","utc":1784149140}}'
TABLE

# ---- 3. trustees: trustee 1 alone posts its commitment, then waits in vain
if "$URNA" trustee dkg --referendum ra --key "$T/t1.key" --no-wait --timeout 1 "${A[@]}" >"$T/dkg.1" 2>&1; then
	fail "trustee 1's dkg without the others: $(cat "$T/dkg.1")"
fi
grep -q "posted its commitments" "$T/dkg.1" && grep -q "timed out" "$T/dkg.1" || fail "trustee 1 alone: $(cat "$T/dkg.1")"
board ra
python3 - "$T/ra.board" >"$T/commit1.json" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    l = json.loads(l)
    if l['kind'] == 'trustee' and l['by'] == 'trustee-1':
        print(json.dumps(l['body'])); break
PY
[ -s "$T/commit1.json" ] || fail "no commitment of trustee 1 on the board"
C1=$(cat "$T/commit1.json")
refusals <<TABLE
# trustee 1's commitment (its body says index 1): signed by trustee 2 in trustee 1's name; signed
# by trustee 2 as its own; the same signed entry again (trustee 1's entry number 0, taken)
trustee-1's, signed by trustee 2    | ra | 422 | bad_signature | t2.key trustee-1 trustee - '$C1'
trustee 1's commitment as trustee-2 | ra | 401 | unauthorized  | t2.key trustee-2 trustee - '$C1'
trustee 1's commitment replayed     | ra | 422 | bad_signature | t1.key trustee-1 trustee - '$C1' 0
TABLE
# A key the referendum does not name: rb names trustee 1 only.
if "$URNA" trustee dkg --referendum rb --key "$T/t2.key" --no-wait --timeout 5 "${A[@]}" >"$T/out" 2>&1; then fail "dkg of a key rb does not name"; fi
grep -q "referendum rb does not name this key (trustee \"Trustee 2\", $("$URNA" keygen --show "$T/t2.key" | sed -n 's/.*fingerprint: *//p')) as its trustee" "$T/out" ||
	fail "dkg of a key rb does not name: $(cat "$T/out")"
[ ! -e "$T/t2.rb.dkg" ] || fail "a state file for a referendum that does not name the key"
ceremony ra 3
# A copy of trustee 2's key file (no state file beside it) is trustee 2 on the board, but it did
# not make trustee 2's entries: it stops there.
cp "$T/t2.key" "$T/t2-copy.key"
if "$URNA" trustee dkg --referendum ra --key "$T/t2-copy.key" --no-wait --timeout 5 "${A[@]}" >"$T/out" 2>&1; then
	fail "a copy of trustee 2's key took part: $(cat "$T/out")"
fi
grep -q "an entry for its index that it did not make" "$T/out" || fail "a copy of trustee 2's key: $(cat "$T/out")"

# ---- the organizer's entries: replayed, and posted to another referendum
TIMES='"opens_at":{"local":"2026-07-01T00:00","utc":1782853200},"closes_at":{"local":"2026-07-15T23:59","utc":1784149140},"announce_at":{"local":"2026-07-16T12:00","utc":1784192400}'
SCHED="{$TIMES,\"reason\":{\"en\":\"replayed\"}}"
sign organizer.key ra organizer schedule - "$SCHED" >"$T/sched-a.json"
post ra "$T/sched-a.json"
[ "$code" = 201 ] || fail "a schedule entry: $code $(cat "$T/resp")"
board rb
NB=$(python3 -c 'import sys; sys.path.insert(0, sys.argv[2]); from urnasign import read_board, authored; print(authored(read_board(sys.argv[1]), "organizer"))' \
	"$T/rb.board" "$HERE")
sign organizer.key ra organizer schedule - "$SCHED" "$NB" >"$T/sched-a-for-b.json"   # ra's h_R, rb's entry number
cp "$T/sched-a.json" "$T/req.json"
post ra "$T/req.json"
[ "$code" = 422 ] && grep -q '"error":"bad_signature"' "$T/resp" || fail "the same schedule entry again: $code $(cat "$T/resp")"
echo "ok   refused: the same signed schedule entry twice: $code $(cat "$T/resp")"
post rb "$T/sched-a-for-b.json"
[ "$code" = 422 ] && grep -q '"error":"bad_signature"' "$T/resp" || fail "ra's schedule entry posted to rb: $code $(cat "$T/resp")"
echo "ok   refused: ra's signed schedule entry posted to rb: $code $(cat "$T/resp")"
sign organizer.key rb organizer schedule - "$SCHED" >"$T/req.json"   # the control: the same, signed for rb
post rb "$T/req.json"
[ "$code" = 201 ] || fail "rb's own schedule entry: $code $(cat "$T/resp")"

# ---- 2 (end). rb's region x has a list but no electorate entry: no ballot is taken.
"$URNA" credentials generate --referendum rb --region x --count 2 --out "$T/creds-rb" >/dev/null || fail "generate rb"
sign authority.key rb authority-1 credentials x "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps({"credentials": d["credentials"]}))' "$T/creds-rb/x.public.json")" >"$T/req.json"
post rb "$T/req.json"
[ "$code" = 201 ] || fail "rb's list: $code $(cat "$T/resp")"
rc=0; "$URNA" credentials check "$T/creds-rb/x.public.json" "${AU[@]}" >"$T/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "credentials check without the electorate entry: exit $rc: $(cat "$T/out")"
ceremony rb 1
curl -fsS "$S/api/referendums/rb" | grep -q '"electorate_final":false' || fail "rb's electorate is final"
OPEN=$(msk '2026-07-01 10:00')
clock "$OPEN"
if "$URNA" vote --referendum rb --region x --credential "$(head -n 1 "$T/creds-rb/x.private")" --choice 1 --server "$S" >/dev/null 2>"$T/err"; then
	fail "a ballot before the region's electorate entry"
fi
grep -q "electorate is not final" "$T/err" || fail "a ballot before the electorate entry: $(cat "$T/err")"

# ---- ra's votes, tally, decryptions, publication
mapfile -t CN < <(head -n 3 "$T/creds/north.private")
mapfile -t CS <"$T/creds/south.private"
V=(--region north --referendum ra --server "$S")
for k in "0 1" "1 2" "1 1" "2 1"; do set -- $k; "$URNA" vote "${V[@]}" --credential "${CN[$1]}" --choice "$2" >/dev/null || fail "vote north $k"; done
for k in "0 2" "1 2"; do set -- $k; "$URNA" vote --region south --referendum ra --server "$S" --credential "${CS[$1]}" --choice "$2" >/dev/null || fail "vote south $k"; done
clock "$(msk '2026-07-16 00:01')"
"$URNA" tally --referendum ra "${O[@]}" >/dev/null || fail "tally"
for i in 1 2; do "$URNA" trustee decrypt --referendum ra --key "$T/t$i.key" "${A[@]}" >/dev/null || fail "decrypt $i"; done
clock "$(msk '2026-07-16 12:01')"
"$URNA" publish --referendum ra "${O[@]}" >/dev/null || fail "publish"
"$URNA" export --referendum ra --out "$T/rec" --server "$S" >/dev/null || fail "export"
"$URNA" verify "$T/rec" >"$T/verify.out" 2>&1 || fail "the honest record: $(tail -3 "$T/verify.out")"
python3 "$SIGN" verify "$T/rec/board.jsonl" >/dev/null || fail "a signature of the honest record does not verify in Python"
# The referendum object's roles: each author's number of entries, as the board counts them (what a
# role signs its next entry as), and its key and fingerprint as urna keygen made them.
curl -fsS "$S/api/referendums/ra" >"$T/ra-object.json"
python3 - "$T/ra-object.json" "$T/rec/board.jsonl" "$T" <<'PY' || fail "the referendum's roles: $(cat "$T/ra-object.json")"
import collections, json, sys
T = sys.argv[3]
roles = {r['by']: r for r in json.load(open(sys.argv[1]))['roles']}
counts = collections.Counter(json.loads(l).get('by') for l in open(sys.argv[2]))
files = {'organizer': 'organizer', 'authority-1': 'authority', 'authority-2': 'authority2',
         'trustee-1': 't1', 'trustee-2': 't2', 'trustee-3': 't3', 'server': 'urna.db'}
assert sorted(roles) == sorted(files), sorted(roles)
for by, f in files.items():
    pub = json.load(open('%s/%s.pub' % (T, f)))
    assert roles[by]['entries'] == counts[by], (by, roles[by], counts[by])
    assert (roles[by]['key'], roles[by]['fingerprint']) == (pub['public_key'], pub['fingerprint']), (by, roles[by], pub)
assert roles['authority-2']['regions'] == ['south'], roles['authority-2']
PY
for i in 1 2 3; do
	"$URNA" trustee check --referendum ra --key "$T/t$i.key" "${A[@]}" >"$T/out" 2>&1 || fail "trustee check $i: $(cat "$T/out")"
done
"$URNA" credentials check "$T/creds/north.public.json" "${AU[@]}" >/dev/null || fail "credentials check north after publication"

# ---- 4. the record changed in one entry: urna verify names it.
# NAME | SELECTOR | OPS (record_tamper.py) | EXPECTED ENTRY | EXPECTED ERROR
# (the signed entries: an edit without the author's key; the author's key
# with the board's own rules; another author; another key; an entry left out)
echo '{"credentials":["'"$X"'"]}' >"$T/other.json"
n=0
while IFS='|' read -r name sel ops want err; do
	name=$(echo $name); sel=$(echo $sel); ops=$(echo $ops); want=$(echo $want); err=$(echo $err)
	[ -n "$name" ] && [ "${name:0:1}" != '#' ] || continue
	rm -rf "$T/t"; mkdir -p "$T/t"; cp "$T/other.json" "$T/t/"
	at=$(cd "$T" && python3 "$HERE/record_tamper.py" "$T/rec" "$T/t" "$sel" "$ops" "$want") || fail "$name: cannot make it"
	if "$URNA" verify "$T/t" >"$T/verify.out" 2>&1; then fail "$name: urna verify accepts it"; fi
	grep -q "entry ${at% *} (${at#* }) at fault: $err" "$T/verify.out" || fail "$name: want entry $at, $err: $(tail -2 "$T/verify.out")"
	echo "ok   tampered: $name: $(grep 'at fault' "$T/verify.out")"
	n=$((n + 1))
done <<'TABLE'
schedule reason changed        | schedule                 | set reason.en "Postponed for no reason"        | here                      | bad_signature
a schedule time moved          | schedule                 | set closes_at {"local":"2026-07-14T23:59","utc":1784062740} | here | bad_signature
a list with one more credential| credentials:north#1      | append credentials @other                      | here                      | bad_signature
... re-signed by its authority | credentials:north#1      | append credentials @other; resign authority.key | electorate:north         | mismatch
a list moved to the other region | credentials:south      | region north                                   | here                      | unauthorized
a commit's box key swapped     | trustee/commit@trustee-1 | copy box_key trustee/commit@trustee-2          | here                      | bad_signature
a shares entry's author changed| trustee/shares@trustee-1 | by trustee-3                                   | here                      | unauthorized
the schedule made the server's | schedule                 | by server                                      | here                      | unauthorized
the close made a trustee's     | close                    | by trustee-1; resign t1.key                    | here                      | unauthorized
the key entry re-signed anew   | trustee/key              | resign fresh                                   | here                      | bad_signature
a decryption re-signed anew    | decryption:north@trustee-2 | resign fresh                                 | here                      | bad_signature
a tally re-signed anew         | tally:south              | resign fresh                                   | here                      | bad_signature
the second list of north dropped | credentials:north#1    | drop                                           | electorate:north          | bad_signature
north's electorate dropped     | electorate:north         | drop                                           | ballot:north              | wrong_state
trustee 1's shares dropped     | trustee/shares@trustee-1 | drop                                           | trustee/key               | mismatch
the publish entry dropped      | publish                  | drop                                           | result:north              | wrong_state
TABLE
[ "$n" -ge 14 ] || fail "only $n tamper cases ran"

# ---- 5. a board served with a changed entry: the roles' checks say so (exit 1).
# mkdb BOARD DB: BOARD in a fresh database in the store's schema; serve_db DB: a
# second server on it (same server key), its URL in $S2.
mkdb() {
	python3 - "$1" "$2" <<'PY'
import json, sqlite3, sys
lines = [l.rstrip('\n') for l in open(sys.argv[1]) if l.strip()]
db = sqlite3.connect(sys.argv[2])
db.execute('CREATE TABLE board (referendum TEXT NOT NULL, seq BIGINT NOT NULL, kind TEXT NOT NULL,'
           ' line TEXT NOT NULL, PRIMARY KEY (referendum, seq))')
db.executemany('INSERT INTO board VALUES (?, ?, ?, ?)', [('ra', i, json.loads(l)['kind'], l) for i, l in enumerate(lines)])
db.commit()
PY
}
S2_PID=
serve_db() {
	rm -f "$T/s2.port"
	"$URNA" serve --db "$1" --key "$T/urna.db.key" --organizer "$ORGANIZERS" --listen 127.0.0.1:0 --port-file "$T/s2.port" \
		--test-clock --checkpoint-every 0 --quiet >>"$T/s2.log" 2>&1 &
	S2_PID=$!
	trap 'kill $S2_PID 2>/dev/null || true; cleanup' EXIT
	for _ in $(seq 100); do [ -s "$T/s2.port" ] && break; kill -0 "$S2_PID" 2>/dev/null || fail "a server on $1: $(cat "$T/s2.log")"; sleep 0.05; done
	S2="http://127.0.0.1:$(cat "$T/s2.port")"
}
# Trustee 1's commitment with another box key (signed by nobody's key now): trustee 1's check fails
# (the board does not verify, and its commitment is not the one it posted); trustee 3's fails too
# (the board does not verify); north's list is still the authority's.
rm -rf "$T/t"; mkdir -p "$T/t"
(cd "$T" && python3 "$HERE/record_tamper.py" "$T/rec" "$T/t" trustee/commit@trustee-1 "copy box_key trustee/commit@trustee-2" here) >/dev/null
mkdb "$T/t/board.jsonl" "$T/box.db"
serve_db "$T/box.db"
rc=0; "$URNA" trustee check --referendum ra --key "$T/t1.key" --server "$S2" >"$T/out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "FAIL  the board verifies\|FAIL .*board" "$T/out" && grep -q "FAIL .*commitment\|FAIL .*posted" "$T/out" ||
	fail "trustee check 1 of a board with its commitment changed: exit $rc: $(cat "$T/out")"
echo "ok   trustee check 1 of a board with its commitment changed: exit 1: $(grep FAIL "$T/out" | tr -s ' ' | tr '\n' ';')"
rc=0; "$URNA" trustee check --referendum ra --key "$T/t3.key" --server "$S2" >"$T/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "trustee check 3 of a board that does not verify: exit $rc: $(cat "$T/out")"
kill "$S2_PID"; wait "$S2_PID" 2>/dev/null || true
# North's second list with one more credential, and its electorate entry made to match (neither
# signed by the authority now; the server's replay of its own database checks no signature, and
# serves it): the authority's check fails (exit 1), south's holds.
rm -rf "$T/t" "$T/t2"; mkdir -p "$T/t" "$T/t2"; cp "$T/other.json" "$T/t/"
(cd "$T" && python3 "$HERE/record_tamper.py" "$T/rec" "$T/t" credentials:north#1 "append credentials @other" here) >/dev/null
(cd "$T" && python3 "$HERE/record_tamper.py" "$T/t" "$T/t2" electorate:north fix-electorate here) >/dev/null
mkdb "$T/t2/board.jsonl" "$T/cred.db"
serve_db "$T/cred.db"
rc=0; "$URNA" credentials check "$T/creds/north.public.json" --server "$S2" --key "$T/authority.key" >"$T/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "credentials check of a board with a changed list: exit $rc: $(cat "$T/out")"
echo "ok   credentials check of a board with a changed list: exit 1: $(tail -n 1 "$T/out")"
"$URNA" credentials check "$T/creds/south.public.json" --server "$S2" --key "$T/authority2.key" >/dev/null ||
	fail "south's check on a board where only north's list changed"
kill "$S2_PID"; wait "$S2_PID" 2>/dev/null || true
echo "roles: ok ($n tamper cases)"
