#!/usr/bin/env bash
# Signed ballot receipts (docs/protocol.md s.18, docs/api.md): every 201 and
# the 200 of a resubmission carry the server's receipt; `urna vote` saves it;
# `urna receipt check` holds a board to it: 0 on the board (last of its
# credential, counted), 1 valid but the board disagrees (the receipt is the
# evidence), 2 malformed, forged, altered or another referendum's. The
# operator's attack of issue 10 (a receipted ballot deleted, the chain
# recomputed, the server's own entries that changed, its checkpoints and
# the tally and result, signed again with the server's own key, the results
# files rewritten) passes `urna verify` and fails the receipt: in protocol 2
# every entry is signed by its author, but the other roles' signatures
# cover their entries, not the ballots around them, and the server's key
# signs the rest. The same done with any other key fails `urna verify`, at
# the first line signed again.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"
PY=$(py_crypto)
start_server --checkpoint-every 1   # a checkpoint after the ballots, for the operator to re-sign
clock "$(msk '2026-06-20 12:00')"
spec() { # ID
	make_spec "$T/$1.json" <<JSON
{"id":"$1","title":{"en":"Receipts"},"timezone":"Europe/Moscow",
 "opens_at":"2026-07-01T00:00","closes_at":"2026-07-15T23:59","announce_at":"2026-07-16T12:00",
 "trustees":{"n":1,"t":1},
 "regions":[{"id":"x","name":{"en":"X"},"questions":[{"text":{"en":"?"},"choices":[{"en":"Yes"},{"en":"No"}],"min":1,"max":1}]}]}
JSON
}
for id in rc other; do   # the same roles' keys for both
	spec $id
	"$URNA" referendum create "$T/$id.json" "${O[@]}" >/dev/null || fail "create $id"
	"$URNA" credentials generate --referendum $id --region x --count 3 --out "$T/creds-$id" >/dev/null || fail "generate"
	"$URNA" credentials upload "$T/creds-$id/x.public.json" "${AU[@]}" >/dev/null || fail "upload"
	ceremony $id 1
done
mapfile -t C <"$T/creds-rc/x.private"
clock "$(msk '2026-07-02 12:00')"
V=(--referendum rc --region x --server "$S")
check() { # EXIT ARGS...: urna receipt check ARGS exits EXIT; its output in $T/out
	local want=$1 rc=0; shift
	"$URNA" receipt check "$@" >"$T/out" 2>&1 || rc=$?
	[ "$rc" = "$want" ] || fail "receipt check $*: exit $rc, want $want: $(cat "$T/out")"
}

# C0 votes once; C1 votes, then again (its first ballot is replaced); C2
# votes without --receipt: the receipt is printed.
"$URNA" vote "${V[@]}" --credential "${C[0]}" --choice 1 --receipt "$T/r0.json" --save "$T/b0.json" >"$T/v0" || fail "vote 0"
grep -q "receipt: saved to $T/r0.json" "$T/v0" || fail "vote says where the receipt is: $(cat "$T/v0")"
"$URNA" vote "${V[@]}" --credential "${C[1]}" --choice 2 --receipt "$T/r1.json" >/dev/null || fail "vote 1"
"$URNA" vote "${V[@]}" --credential "${C[1]}" --choice 1 --receipt "$T/r1b.json" >/dev/null || fail "re-vote 1"
"$URNA" vote "${V[@]}" --credential "${C[2]}" --choice 2 >"$T/v2" || fail "vote 2"
grep '^{"h_R":' "$T/v2" >"$T/r2.json"
grep -q '"signature":' "$T/r2.json" || fail "vote without --receipt prints it: $(cat "$T/v2")"

# The receipt is exactly what the server's 201 said, and the 200 of the
# same bytes again carries the same receipt: the ballot's own line as head
# (Ed25519 is deterministic), not the board's head now.
code=$(curl -s -o "$T/again.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
	--data-binary @"$T/b0.json" "$S/api/referendums/rc/regions/x/ballots")
[ "$code" = 200 ] || fail "resubmission: $code $(cat "$T/again.json")"
"$PY" - "$T/again.json" "$T/r0.json" "$HERE/../vectors" <<'PY' || fail "the 200's receipt is not the 201's"
import json, sys
a, r = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert a['receipt'] == r, (a['receipt'], r)
assert a['head']['seq'] > r['seq'], 'the answer head is the board head now'
PY
# An independent check of the signed bytes (s.18), in Python.
curl -fsS "$S/api/referendums/rc/board" >"$T/board"
"$PY" - "$T/board" "$T/r0.json" "$HERE/../vectors" <<'PY' || fail "the receipt does not verify in Python"
import json, struct, sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[3])
from urnaref import H, hash32, tracker, unb64
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
lines = open(sys.argv[1], 'rb').read().split(b'\n')
r = json.load(open(sys.argv[2]))
body = lambda l: l[l.index(b'"body":') + 7:-1]
assert unb64(r['h_R']) == hash32(body(lines[0]))
assert unb64(r['head']) == hash32(lines[r['seq']])
assert unb64(r['tracker']) == tracker(body(lines[r['seq']]))  # the unsigned ballot's (s.14)
ref = json.loads(lines[0])['body']
assert r['server_key'] == ref['server']['key'] and r['referendum'] == ref['id'] == 'rc'
m = H('receipt', b'rc', unb64(r['h_R']), struct.pack('<I', r['seq']), unb64(r['tracker']), unb64(r['head']))
Ed25519PublicKey.from_public_bytes(unb64(r['server_key'])).verify(unb64(r['signature']), m)
PY

# Against the server: on the board; the last of its credential or not.
check 0 "$T/r0.json" --server "$S"
grep -q "ON THE BOARD" "$T/out" && grep -q "last ballot of its credential: the one the tally will count" "$T/out" || fail "r0: $(cat "$T/out")"
check 0 "$T/r1.json" --server "$S"
grep -q "NOT the last ballot of its credential" "$T/out" || fail "r1: $(cat "$T/out")"
check 0 "$T/r2.json" --server "$S"

# Published, exported: counted, and the record checks out against every receipt.
for i in $(seq 100); do
	curl -fsS "$S/api/referendums/rc/board" | tail -n 1 | grep -q '"kind":"checkpoint"' && break
	sleep 0.1
done
curl -fsS "$S/api/referendums/rc/board" | tail -n 1 | grep -q '"kind":"checkpoint"' || fail "no checkpoint after the ballots"
clock "$(msk '2026-07-16 00:01')"
"$URNA" tally --referendum rc "${O[@]}" >/dev/null || fail "tally"
"$URNA" trustee decrypt --referendum rc --key "$T/t1.key" "${A[@]}" >/dev/null || fail "decrypt"
clock "$(msk '2026-07-16 12:01')"
"$URNA" publish --referendum rc "${O[@]}" >/dev/null || fail "publish"
"$URNA" export --referendum rc --out "$T/rec" --server "$S" >/dev/null || fail "export"
check 0 "$T/r0.json" "$T/rec"
grep -q "the tally on the board counts it" "$T/out" || fail "r0 counted: $(cat "$T/out")"
for r in r1 r1b r2; do check 0 "$T/$r.json" "$T/rec"; done

# The operator deletes C1's first (replaced) ballot: chain recomputed,
# tally and result "cast" lowered, checkpoints and those two signed again
# with the server's key, results files rewritten by urna export. urna
# verify is satisfied; the receipt is not, and says it is the evidence.
trk1=$(sed -E 's/.*"tracker":"([^"]+)".*/\1/' "$T/r1.json")
python3 "$HERE/receipt_tamper.py" "$T/rec/board.jsonl" "$T/urna.db.key" "$T/tampered.db" delete "$trk1" >"$T/tamper.out" || fail "tamper"
"$URNA" export --referendum rc --db "$T/tampered.db" --out "$T/tampered" >/dev/null || fail "export of the tampered board"
grep -q '"kind":"checkpoint"' "$T/tampered/board.jsonl" || fail "no checkpoint to re-sign: the test would prove less"
python3 - "$T/tampered/board.jsonl" "$(sed -n 's/^re-signed: //p' "$T/tamper.out")" <<'PY' || fail "what was signed again: $(cat "$T/tamper.out")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
kinds = sorted({lines[int(i)]['kind'] for i in sys.argv[2].split()})
assert kinds == ['checkpoint', 'result', 'tally'], kinds
assert all(lines[int(i)]['by'] == 'server' for i in sys.argv[2].split())
PY
"$URNA" verify "$T/tampered" >"$T/verify.out" 2>&1 || fail "the tampered record should pass urna verify: $(tail -3 "$T/verify.out")"
cmp -s "$T/rec/results.json" "$T/tampered/results.json" && fail "results.json not rewritten"
check 1 "$T/r1.json" "$T/tampered"
grep -q "NOT ON THE BOARD AS RECEIPTED" "$T/out" && grep -q "no ballot with this tracker" "$T/out" &&
	grep -q "This signed receipt is the evidence: keep the file $T/r1.json" "$T/out" &&
	grep -q "observers or" "$T/out" || fail "r1 on the tampered board: $(cat "$T/out")"
check 1 "$T/r1b.json" "$T/tampered"     # after the deleted line: moved up by one
grep -q "not entry $(sed -E 's/.*"seq":([0-9]+).*/\1/' "$T/r1b.json") as the server signed" "$T/out" || fail "r1b moved: $(cat "$T/out")"
check 0 "$T/r0.json" "$T/tampered"     # before it: untouched
# An earlier entry changed (the key entry one second later), every ballot
# where it was: the board verifies, and no receipt after it holds.
key_seq=$(grep -n '"type":"key"' "$T/rec/board.jsonl" | cut -d: -f1); key_seq=$((key_seq - 1))
[ "$key_seq" -lt "$(sed -E 's/.*"seq":([0-9]+).*/\1/' "$T/r0.json")" ] || fail "the key entry is not before the first ballot"
python3 "$HERE/receipt_tamper.py" "$T/rec/board.jsonl" "$T/urna.db.key" "$T/retimed.db" retime "$key_seq" >/dev/null || fail "retime"
"$URNA" export --referendum rc --db "$T/retimed.db" --out "$T/retimed" >/dev/null || fail "export of the retimed board"
"$URNA" verify "$T/retimed" >"$T/verify.out" 2>&1 || fail "the retimed record should pass urna verify: $(tail -3 "$T/verify.out")"
check 1 "$T/r0.json" "$T/retimed"
grep -q "but the board up to it is not the one the server signed" "$T/out" || fail "r0 on the retimed board: $(cat "$T/out")"
# Without the server's key: the same deletion, signed again with a fresh
# key, fails urna verify at the first line signed again (a checkpoint or the
# tally), for its signature.
python3 "$HERE/receipt_tamper.py" "$T/rec/board.jsonl" "$T/urna.db.key" "$T/forged.db" delete "$trk1" other-key >"$T/tamper.out" ||
	fail "tamper with another key"
first=$(sed -n 's/^re-signed: \([0-9]*\).*/\1/p' "$T/tamper.out")
[ -n "$first" ] || fail "nothing signed again: $(cat "$T/tamper.out")"
if "$URNA" export --referendum rc --db "$T/forged.db" --out "$T/forged" >/dev/null 2>"$T/err"; then fail "export of the forged board"; fi
grep -q "Ed25519 signature fails" "$T/err" || fail "export of the forged board: $(cat "$T/err")"
mkdir -p "$T/forged"   # its board as it is, for urna verify
python3 -c 'import sqlite3, sys
for (l,) in sqlite3.connect(sys.argv[1]).execute("SELECT line FROM board ORDER BY seq"): print(l)' "$T/forged.db" >"$T/forged/board.jsonl"
if "$URNA" verify "$T/forged" >"$T/verify.out" 2>&1; then fail "a board signed again with another key passes urna verify"; fi
grep -q "entry $first ([a-z]*) at fault: bad_signature" "$T/verify.out" || fail "the forged board, want entry $first: $(cat "$T/verify.out")"

# Forged or altered: one byte of the signature; re-signed with another key
# (the receipt naming that key, or still the server's); another referendum.
"$PY" - "$T" "$HERE/../vectors" <<'PY'
import json, sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[2])
from urnaref import H, b64, unb64
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
import struct
T = sys.argv[1]
r = json.load(open(T + '/r0.json'))
s = bytearray(unb64(r['signature'])); s[7] ^= 0x01
json.dump({**r, 'signature': b64(bytes(s))}, open(T + '/flip.json', 'w'))
k = Ed25519PrivateKey.generate()
m = H('receipt', r['referendum'].encode(), unb64(r['h_R']), struct.pack('<I', r['seq']), unb64(r['tracker']), unb64(r['head']))
other = b64(k.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
json.dump({**r, 'signature': b64(k.sign(m)), 'server_key': other}, open(T + '/other-key.json', 'w'), indent=1)
json.dump({**r, 'signature': b64(k.sign(m))}, open(T + '/other-sig.json', 'w'))
json.dump({**r, 'referendum': 'other'}, open(T + '/renamed.json', 'w'))
json.dump({**r, 'extra': 1}, open(T + '/extra.json', 'w'))
PY
for f in flip other-sig; do
	check 2 "$T/$f.json" --server "$S"
	grep -q "REFUSED: its signature does not verify" "$T/out" || fail "$f: $(cat "$T/out")"
done
check 2 "$T/other-key.json" "$T/rec"
grep -q "server key differs" "$T/out" && grep -q "REFUSED: it is signed by key" "$T/out" || fail "other key: $(cat "$T/out")"
check 2 "$T/renamed.json" --server "$S"   # the id is signed: not a receipt of referendum other
grep -q "REFUSED: its signature does not verify" "$T/out" || fail "renamed: $(cat "$T/out")"
"$URNA" export --referendum other --out "$T/other" --server "$S" >/dev/null || fail "export other"
check 2 "$T/r0.json" "$T/other"
grep -q "REFUSED: this receipt is for referendum rc, and this board is referendum other's" "$T/out" || fail "other referendum: $(cat "$T/out")"
check 2 "$T/extra.json" "$T/rec"
grep -q 'REFUSED: not a receipt: receipt: unknown key "extra"\|REFUSED: not a receipt' "$T/out" || fail "extra key: $(cat "$T/out")"
echo '{"seq":1' >"$T/cut.json"
check 2 "$T/cut.json" "$T/rec"
# no such record folder; usage: RECORD_DIR or --server, not both, not neither
check 2 "$T/r0.json" "$T/no-such-folder"
grep -q "cannot read the board of rc" "$T/out" || fail "missing folder: $(cat "$T/out")"
check 2 "$T/r0.json"
check 2 "$T/r0.json" "$T/rec" --server "$S"
echo "receipt: ok"
