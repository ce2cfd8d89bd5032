#!/usr/bin/env bash
# Signed checkpoints (docs/protocol.md s.11, s.15): a board that grew gets a
# checkpoint entry whose head is hash32 of line seq and whose signature
# verifies under the referendum entry's server_key; an idle board gets no
# second one; the key survives a restart. They are on by default (every 5
# seconds); --checkpoint-every 0 turns them off.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SPEC='{"id":"cp","title":{"en":"Checkpoints"},"timezone":"Europe/Moscow","opens_at":"2026-07-01T00:00","closes_at":"2026-07-15T23:59","announce_at":"2026-07-16T12:00","trustees":{"n":1,"t":1},"regions":[{"id":"a","name":{"en":"A"},"questions":[{"text":{"en":"?"},"choices":[{"en":"Y"},{"en":"N"}],"min":1,"max":1}]}]}'
start_server --checkpoint-every 1
clock "$(msk '2026-06-20 12:00')"
api POST /api/referendums "$SPEC" >/dev/null
sleep 2.5
curl -fsS "$S/api/referendums/cp/board" >"$T/board"
[ "$(grep -c '"kind":"checkpoint"' "$T/board")" = 1 ] || fail "want one checkpoint: $(cat "$T/board")"
# An independent Ed25519 check, in Python.
PY=$(py_crypto)
"$PY" - "$T/board" "$(dirname "$0")/../vectors" <<'PY' || fail "checkpoint does not verify"
import json, struct, sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[2])
from urnaref import H, hash32, unb64 as b64
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
lines = open(sys.argv[1], 'rb').read().split(b'\n')[:-1]
ref = json.loads(lines[0])
cp = [json.loads(l) for l in lines if b'"kind":"checkpoint"' in l][0]
b = cp['body']; s = b['seq']
assert b64(b['head']) == hash32(lines[s]), 'head'
m = H('checkpoint', b'cp', struct.pack('<I', s), b64(b['head']))
Ed25519PublicKey.from_public_bytes(b64(ref['body']['server_key'])).verify(b64(b['signature']), m)
PY
stop_server
start_server
curl -fsS "$S/api/referendums/cp" | grep -qF -- "$(sed -n 's/.*"server_key":"\([^"]*\)".*/\1/p' "$T/board" | head -1)" || fail "server key changed"
stop_server

# The default: two servers started together, one with the default and one
# with --checkpoint-every 0, each with a new board. The first signs its
# board's head within a few seconds; by then the second has signed nothing.
rm -f "$T/urna.db"*
start_server
clock "$(msk '2026-06-20 12:00')"
api POST /api/referendums "$SPEC" >/dev/null
S1=$S
"$URNA" serve --db "$T/off.db" --listen 127.0.0.1:0 --port-file "$T/off.port" --checkpoint-every 0 \
	--admin-token-file "$T/token" --test-clock --quiet >>"$T/off.log" 2>&1 &
OFF_PID=$!
trap 'kill $OFF_PID 2>/dev/null || true; cleanup' EXIT
for i in $(seq 100); do [ -s "$T/off.port" ] && break; sleep 0.05; done
S="http://127.0.0.1:$(cat "$T/off.port")"
clock "$(msk '2026-06-20 12:00')"
api POST /api/referendums "$SPEC" >/dev/null
for i in $(seq 150); do
	curl -fsS "$S1/api/referendums/cp/board" | grep -q '"kind":"checkpoint"' && break
	sleep 0.1
done
curl -fsS "$S1/api/referendums/cp/board" | grep -q '"kind":"checkpoint"' || fail "no checkpoint by default within 15 s"
if curl -fsS "$S/api/referendums/cp/board" | grep -q '"kind":"checkpoint"'; then fail "a checkpoint with --checkpoint-every 0"; fi
"$URNA" serve --help | grep -q "default 5 seconds; 0 turns them off" || fail "serve's usage names the default"
echo "server_checkpoint: ok"
