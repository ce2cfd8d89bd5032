#!/usr/bin/env bash
# Bad input as data: every tests/cases/NNN-name.case is one request against a
# live `urna serve` and the status and error code it must get (docs/api.md).
# A case file has lines "key: value":
#   method, path           the request
#   header                 an extra header "Name: value" (repeatable)
#   auth                   admin | bad (a wrong bearer token)
#   body                   inline body; body-file NAME: a fixture made below;
#   body-size              N bytes of 'x'
#   clock                  EARLY | OPEN | CLOSED: the test clock first
#   server-args            restart the server with these options first
#   repeat                 send up to N times, until the answer is the one wanted
#   status, error          what must come back ({"error": CODE, ...})
#   message                a text the error's message must hold
# Fixtures: ballots built by `urna vote --save` against a referendum set up
# here (valid, not on the list, then altered: truncated, not canonical, a bad
# proof, a bad signature, a bad encoding), the ballot of an audit file and the
# file itself (`urna vote --audit`), ballots built and signed by a test
# helper (tests/vectors/urnaref.py): packed answers encrypting values no
# question allows (2, M + 1, M^2, s.6) and a valid ballot signed again (the
# same tracker, other bytes), and signed role entries and creations built in
# Python (urnasign.py) with the roles' own keys or the wrong ones.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"
CASES="$(cd "$(dirname "$0")/../cases" && pwd)"
start_server --checkpoint-every 0 # no line stamped at OPEN before the cases at EARLY (below)
EARLY=$(msk '2026-06-20 12:00'); OPEN=$(msk '2026-07-01 10:00'); CLOSED=$(msk '2026-07-16 00:00')
clock "$EARLY"
make_spec "$T/spec.json" <<'JSON'
{"id":"c","title":{"en":"Cases"},"timezone":"Europe/Moscow",
 "opens_at":"2026-07-01T00:00","closes_at":"2026-07-15T23:59","announce_at":"2026-07-16T12:00",
 "trustees":{"n":1,"t":1},
 "regions":[{"id":"north","name":{"en":"North"},"questions":[{"text":{"en":"?"},"choices":[{"en":"Yes"},{"en":"No"}],"min":1,"max":1}]},
            {"id":"south","name":{"en":"South"},"questions":[{"text":{"en":"?"},"choices":[{"en":"Yes"},{"en":"No"}],"min":1,"max":1}]}]}
JSON
"$URNA" referendum create "$T/spec.json" "${O[@]}" >/dev/null || fail "create"
"$URNA" credentials generate --referendum c --region north --count 3 --out "$T/creds" >/dev/null || fail "generate"
"$URNA" credentials generate --referendum c --region north --count 1 --out "$T/other" >/dev/null || fail "generate other"
"$URNA" credentials upload "$T/creds/north.public.json" "${AU[@]}" >/dev/null || fail "upload"
ceremony c 1
mapfile -t C <"$T/creds/north.private"
F="$T/fixtures"; mkdir -p "$F"
V=(--referendum c --region north --server "$S")
# Saved, then refused (too early / not on the list): valid and never cast.
"$URNA" vote "${V[@]}" --credential "${C[0]}" --choice 1 --save "$F/valid" >/dev/null 2>&1 && fail "early vote accepted"
"$URNA" vote "${V[@]}" --credential "${C[1]}" --choice 2 --save "$F/valid2" >/dev/null 2>&1 && fail "early vote accepted"
clock "$OPEN"
"$URNA" vote "${V[@]}" --credential "$(cat "$T/other/north.private")" --choice 1 --save "$F/notlisted" >/dev/null 2>&1 \
	&& fail "unlisted credential accepted"
[ -s "$F/valid" ] && [ -s "$F/notlisted" ] || fail "no fixtures: $(ls -la "$F")"
"$URNA" vote "${V[@]}" --credential "${C[2]}" --choice 1 --audit "$F/auditfile" >/dev/null || fail "vote --audit"
head -c 200 "$F/valid" >"$F/truncated"
# What the helper needs to build ballots: h_R, the manifest, K, the electorate.
curl -fsS "$S/api/referendums/c" >"$F/status.json"
curl -fsS "$S/api/referendums/c/board?from=0&limit=1" >"$F/board0"
curl -fsS "$S/api/referendums/c/regions/north/manifest" >"$F/manifest"
printf '%s\n' "${C[1]}" "${C[2]}" >"$F/creds"
python3 - "$F" "$(dirname "$0")/../vectors" <<'PY'
import json, os, sys
d = sys.argv[1]
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[2])
from urnaref import L, G, Hs, canon, decode, encode, hash32, make_ballot, packed_base, pmul, sign_ballot, tracker, unb64
b = json.load(open(d + '/valid'))
# the audit file's ballot (unsigned) and the file itself, as ballots
audit = json.load(open(d + '/auditfile'))
assert 'signature' not in audit['ballot']
open(d + '/unsigned', 'w').write(canon(audit['ballot']))
open(d + '/auditballot', 'w').write(canon(audit))
# ballots of the helper: packed values that are not allowed, a ballot signed again
line = open(d + '/board0', 'rb').read().rstrip(b'\n')
h_R = hash32(line[line.index(b'"body":') + 7:-1])
mtext = open(d + '/manifest', 'rb').read()
h_E, manifest = hash32(mtext), json.loads(mtext)
st = json.load(open(d + '/status.json'))
KB = unb64(st['election_key'])
e = [r['electorate'] for r in st['regions'] if r['id'] == 'north'][0]
M = packed_base(e)
draw = lambda: int.from_bytes(os.urandom(64), 'little') % L or 1
def key(cred):
    x = Hs('credential', b'c', b'north', cred.replace('-', '').replace(' ', '').upper().encode())
    return x, encode(pmul(x, G))
c1, c2 = open(d + '/creds').read().split()
x2, X2 = key(c2)
for name, v in (('two', 2), ('both', M + 1), ('carry', M * M)):
    f, _ = make_ballot(draw, manifest, e, 'c', 'north', h_R, decode(KB), X2, [[1, 0]], x=x2, forge={0: v})
    open(d + '/unallowed-' + name, 'w').write(canon(f))
x1, _ = key(c1)
v2 = json.load(open(d + '/valid2'))
again = sign_ballot(draw, v2, x1, KB, h_R, h_E)
assert again != v2 and tracker(again) == tracker(v2)
open(d + '/resigned', 'w').write(canon(again))
open(d + '/noncanonical', 'w').write(json.dumps(b, sort_keys=True, indent=1))
x = json.loads(json.dumps(b)); p = x['answers'][0]['proof']  # packed: branches for 1, M
p[0]['c'], p[1]['c'] = p[1]['c'], p[0]['c']            # same sum, equations fail
open(d + '/badproof', 'w').write(canon(x))
x = json.loads(json.dumps(b)); x['signature']['z'] = b['answers'][0]['proof'][0]['z']
open(d + '/badsig', 'w').write(canon(x))
x = json.loads(json.dumps(b)); x['credential'] = '!' * 43
open(d + '/badencoding', 'w').write(canon(x))
x = json.loads(json.dumps(b)); x['extra'] = 1
open(d + '/extrafield', 'w').write(canon(x))
PY
# Signed entries, each the next of its author on the board as it is now
# (none of them is accepted, so each number stays free), and creations.
curl -fsS "$S/api/referendums/c/board" >"$T/board"
python3 - "$F" "$T" "$HERE" <<'PY'
import json, sys, zoneinfo, datetime
F, T = sys.argv[1], sys.argv[2]
sys.path.insert(0, sys.argv[3])
from urnasign import Key, canon, creation, read_board, request, split
lines = read_board(T + '/board')
ref = json.loads(split(lines[0])[1])
org, auth, t1 = Key(T + '/organizer.key'), Key(T + '/authority.key'), Key(T + '/t1.key')
X = json.load(open(T + '/other/north.public.json'))['credentials'][0]
def out(name, req): open(F + '/' + name, 'w').write(canon(req))
times = {k: ref[k] for k in ('opens_at', 'closes_at', 'announce_at')}
out('schedule-noreason', request(org, lines, 'organizer', 'schedule', None, times))
out('credentials-south', request(auth, lines, 'authority-1', 'credentials', 'south', {'credentials': [X]}))
out('credentials-dup', request(auth, lines, 'authority-1', 'credentials', 'south', {'credentials': [X, X]}))
out('credentials-notpoint', request(auth, lines, 'authority-1', 'credentials', 'south', {'credentials': ['_' * 42 + '8']}))
close = {'closes_at': ref['closes_at']}
out('close', request(org, lines, 'organizer', 'close', None, close))
out('close-by-trustee', request(t1, lines, 'trustee-1', 'close', None, close))
out('close-forged', request(t1, lines, 'organizer', 'close', None, close))
x = request(org, lines, 'organizer', 'close', None, close); del x['sig']
out('close-unsigned', x)
regions = [json.loads(split(l)[1]) for l in lines[1:3]]
other = Key()
u = dict(ref, id='u', organizer={'key': __import__('urnasign').b64(other.pk), 'name': 'not hosted'})
out('create-unhosted', creation(other, u, regions))
# 2027-03-28T02:30 does not exist in Berlin (the clocks go from 02:00 to 03:00).
utc = int(datetime.datetime(2027, 3, 28, 1, 30, tzinfo=datetime.timezone.utc).timestamp())
dst = dict(ref, id='dst', timezone='Europe/Berlin', opens_at={'local': '2027-03-28T02:30', 'utc': utc},
           closes_at={'local': '2027-04-01T00:00', 'utc': utc + 4 * 86400}, announce_at={'local': '2027-04-02T00:00', 'utc': utc + 5 * 86400})
out('create-dst', creation(org, dst, regions))
out('create-tz', creation(org, dict(ref, id='tz', timezone='Mars/Olympus'), regions))
PY

run_case() { # file
	local f=$1 method=GET path= auth= body= bodyfile= bodysize= clk= sargs= repeat=1 status= error= msg= line k v
	local -a hdr=()
	while IFS= read -r line || [ -n "$line" ]; do
		case "$line" in ''|'#'*) continue;; esac
		k=${line%%:*}; v=${line#*:}; v=${v# }
		case "$k" in
		method) method=$v;; path) path=$v;; header) hdr+=(-H "$v");; auth) auth=$v;;
		body) body=$v;; body-file) bodyfile=$F/$v;; body-size) bodysize=$v;; clock) clk=$v;;
		server-args) sargs=$v;; repeat) repeat=$v;; status) status=$v;; error) error=$v;; message) msg=$v;;
		*) echo "$f: unknown key $k" >&2; return 1;;
		esac
	done <"$f"
	if [ -n "$sargs" ]; then stop_server; start_server $sargs; fi
	[ -n "$clk" ] && clock "${!clk}"
	[ "$auth" = admin ] && hdr+=(-H "Authorization: Bearer $TOKEN")
	[ "$auth" = bad ] && hdr+=(-H "Authorization: Bearer ${TOKEN}x")
	local -a data=()
	[ -n "$body" ] && data=(--data-binary "$body")
	[ -n "$bodyfile" ] && data=(--data-binary "@$bodyfile")
	if [ -n "$bodysize" ]; then head -c "$bodysize" /dev/zero | tr '\0' x >"$T/big"; data=(--data-binary "@$T/big"); fi
	local got
	for _ in $(seq "$repeat"); do
		got=$(curl -s -o "$T/resp" -w '%{http_code}' -X "$method" "${hdr[@]}" "${data[@]}" "$S$path")
		[ "$got" = "$status" ] && break
	done
	if [ "$got" != "$status" ]; then echo "$(basename "$f"): status $got, want $status: $(head -c 300 "$T/resp")" >&2; return 1; fi
	if [ -n "$error" ] && ! grep -q "\"error\":\"$error\"" "$T/resp"; then
		echo "$(basename "$f"): want error $error: $(head -c 300 "$T/resp")" >&2; return 1
	fi
	if [ -n "$msg" ] && ! grep -qF -- "$msg" "$T/resp"; then
		echo "$(basename "$f"): want a message holding '$msg': $(head -c 300 "$T/resp")" >&2; return 1
	fi
	if [ "${status:0:1}" != 2 ] && ! grep -q '"message":"' "$T/resp"; then
		echo "$(basename "$f"): error without message: $(head -c 300 "$T/resp")" >&2; return 1
	fi
	[ -n "$sargs" ] && { stop_server; start_server; }
	return 0
}

n=0; bad=0
# The cases at EARLY first: the board's time never decreases, so once a line
# (a checkpoint, a ballot) is stamped after the opening no entry can be
# stamped before it, and a list's own faults would be hidden behind "only
# before the opening". Then the rest, from OPEN, in order.
for f in $(grep -l '^clock: EARLY' "$CASES"/*.case) CLOCK-OPEN $(grep -L '^clock: EARLY' "$CASES"/*.case); do
	if [ "$f" = CLOCK-OPEN ]; then clock "$OPEN"; continue; fi
	n=$((n + 1))
	if run_case "$f"; then echo "ok   $(basename "$f"): $(head -c 160 "$T/resp")"; else echo "FAIL $(basename "$f")"; bad=$((bad + 1)); fi
done
[ "$n" -gt 0 ] || fail "no cases"
# The clock went back and forth above; board times never decrease (s.15).
curl -fsS "$S/api/referendums/c/board" | python3 -c '
import json, sys
t = [json.loads(l)["time"] for l in sys.stdin]
sys.exit(0 if t == sorted(t) else "board times decrease: %s" % t)' || fail "board times"
# Whatever was refused above left no trace: the board is a valid record.
mkdir -p "$T/rec"
curl -fsS "$S/api/referendums/c/record/board.jsonl" >"$T/rec/board.jsonl"
"$URNA" verify "$T/rec" >"$T/verify.out" 2>&1 || fail "urna verify: $(tail -3 "$T/verify.out")"
[ "$bad" -eq 0 ] || fail "$bad of $n cases failed"
echo "server_cases: $n cases ok"
