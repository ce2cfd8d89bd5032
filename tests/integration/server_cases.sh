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
# Fixtures: ballots built by `urna vote --save` against a referendum set up
# here (valid, not on the list, then altered: truncated, not canonical, a bad
# proof, a bad signature, a bad encoding).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
CASES="$(cd "$(dirname "$0")/../cases" && pwd)"
start_server
EARLY=$(msk '2026-06-20 12:00'); OPEN=$(msk '2026-07-01 10:00'); CLOSED=$(msk '2026-07-16 00:00')
clock "$EARLY"
cat >"$T/spec.json" <<'JSON'
{"id":"c","title":{"en":"Cases"},"timezone":"Europe/Moscow",
 "opens_at":"2026-07-01T00:00","closes_at":"2026-07-15T23:59","announce_at":"2026-07-16T12:00",
 "trustees":{"n":1,"t":1},
 "regions":[{"id":"north","name":{"en":"North"},"questions":[{"text":{"en":"?"},"choices":[{"en":"Yes"},{"en":"No"}],"min":1,"max":1}]},
            {"id":"south","name":{"en":"South"},"questions":[{"text":{"en":"?"},"choices":[{"en":"Yes"},{"en":"No"}],"min":1,"max":1}]}]}
JSON
"$URNA" referendum create "$T/spec.json" "${A[@]}" >/dev/null || fail "create"
"$URNA" credentials generate --referendum c --region north --count 3 --out "$T/creds" >/dev/null || fail "generate"
"$URNA" credentials generate --referendum c --region north --count 1 --out "$T/other" >/dev/null || fail "generate other"
"$URNA" credentials upload "$T/creds/north.public.json" "${A[@]}" >/dev/null || fail "upload"
"$URNA" trustee keygen --index 1 --out "$T/t1.key" >/dev/null || fail "keygen"
"$URNA" trustee dkg --referendum c --index 1 --key "$T/t1.key" --no-wait --timeout 30 "${A[@]}" >/dev/null 2>&1 || fail "dkg"
"$URNA" referendum key c "${A[@]}" >/dev/null || fail "key"
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
head -c 200 "$F/valid" >"$F/truncated"
python3 - "$F" "$(dirname "$0")/../vectors" <<'PY'
import json, sys
d = sys.argv[1]
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[2])
from urnaref import canon
b = json.load(open(d + '/valid'))
open(d + '/noncanonical', 'w').write(json.dumps(b, sort_keys=True, indent=1))
x = json.loads(json.dumps(b)); p = x['answers'][0]['choices'][0]['proof']
p[0]['c'], p[1]['c'] = p[1]['c'], p[0]['c']            # same sum, equations fail
open(d + '/badproof', 'w').write(canon(x))
x = json.loads(json.dumps(b)); x['signature']['z'] = b['answers'][0]['choices'][0]['proof'][0]['z']
open(d + '/badsig', 'w').write(canon(x))
x = json.loads(json.dumps(b)); x['credential'] = '!' * 43
open(d + '/badencoding', 'w').write(canon(x))
x = json.loads(json.dumps(b)); x['extra'] = 1
open(d + '/extrafield', 'w').write(canon(x))
PY
clock "$OPEN"

run_case() { # file
	local f=$1 method=GET path= auth= body= bodyfile= bodysize= clk= sargs= repeat=1 status= error= line k v
	local -a hdr=()
	while IFS= read -r line || [ -n "$line" ]; do
		case "$line" in ''|'#'*) continue;; esac
		k=${line%%:*}; v=${line#*:}; v=${v# }
		case "$k" in
		method) method=$v;; path) path=$v;; header) hdr+=(-H "$v");; auth) auth=$v;;
		body) body=$v;; body-file) bodyfile=$F/$v;; body-size) bodysize=$v;; clock) clk=$v;;
		server-args) sargs=$v;; repeat) repeat=$v;; status) status=$v;; error) error=$v;;
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
	if [ "${status:0:1}" != 2 ] && ! grep -q '"message":"' "$T/resp"; then
		echo "$(basename "$f"): error without message: $(head -c 300 "$T/resp")" >&2; return 1
	fi
	[ -n "$sargs" ] && { stop_server; start_server; }
	return 0
}

n=0; bad=0
for f in "$CASES"/*.case; do
	n=$((n + 1))
	if run_case "$f"; then echo "ok   $(basename "$f")"; else echo "FAIL $(basename "$f")"; bad=$((bad + 1)); fi
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
