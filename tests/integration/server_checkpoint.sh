#!/usr/bin/env bash
# Signed checkpoints (docs/protocol.md s.11, s.15): a board that grew gets a
# checkpoint entry whose head is hash32 of line seq and whose signature
# verifies under the key the referendum entry names for the server (the
# key GET /api/server shows), the line itself signed by "server" like every
# entry of its own; an idle board gets no second one; the key survives a
# restart. They are on by default (every 5
# seconds); --checkpoint-every 0 turns them off.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
make_spec "$T/spec.json" <<<'{"id":"cp","title":{"en":"Checkpoints"},"timezone":"Europe/Moscow","opens_at":"2026-07-01T00:00","closes_at":"2026-07-15T23:59","announce_at":"2026-07-16T12:00","trustees":{"n":1,"t":1},"regions":[{"id":"a","name":{"en":"A"},"questions":[{"text":{"en":"?"},"choices":[{"en":"Y"},{"en":"N"}],"min":1,"max":1}]}]}'
create() { "$URNA" referendum create "$T/spec.json" --key "$T/organizer.key" --server "$S" >/dev/null || fail "create on $S"; }
start_server --checkpoint-every 1
clock "$(msk '2026-06-20 12:00')"
create
sleep 2.5
curl -fsS "$S/api/referendums/cp/board" >"$T/board"
[ "$(grep -c '"kind":"checkpoint"' "$T/board")" = 1 ] || fail "want one checkpoint: $(cat "$T/board")"
# An independent Ed25519 check, in Python.
PY=$(py_crypto)
curl -fsS "$S/api/server" >"$T/server.json"
"$PY" - "$T/board" "$(dirname "$0")/../vectors" "$T/server.json" <<'PY' || fail "checkpoint does not verify"
import json, struct, sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[2])
from urnaref import H, hash32, unb64 as b64
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
lines = open(sys.argv[1], 'rb').read().split(b'\n')[:-1]
ref = json.loads(lines[0])
assert ref['body']['server']['key'] == json.load(open(sys.argv[3]))['key'], 'the referendum names another server key'
cp = [json.loads(l) for l in lines if b'"kind":"checkpoint"' in l][0]
assert cp['by'] == 'server' and 'sig' in cp, cp
b = cp['body']; s = b['seq']
assert b64(b['head']) == hash32(lines[s]), 'head'
m = H('checkpoint', b'cp', struct.pack('<I', s), b64(b['head']))
Ed25519PublicKey.from_public_bytes(b64(ref['body']['server']['key'])).verify(b64(b['signature']), m)
PY
python3 "$(dirname "$0")/urnasign.py" verify "$T/board" >/dev/null || fail "the checkpoint's entry signature"
stop_server
start_server
curl -fsS "$S/api/server" | cmp -s - "$T/server.json" || fail "server key changed: $(curl -fsS "$S/api/server")"
curl -fsS "$S/api/referendums/cp" | grep -qF -- "\"server_key\":\"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["key"])' "$T/server.json")\"" ||
	fail "the referendum's server key changed"
stop_server

# The default: two servers started together, one with the default and one
# with --checkpoint-every 0, each with a new board. The first signs its
# board's head within a few seconds; by then the second has signed nothing.
rm -f "$T/urna.db"*
start_server
clock "$(msk '2026-06-20 12:00')"
create
S1=$S
"$URNA" serve --db "$T/off.db" --listen 127.0.0.1:0 --port-file "$T/off.port" --checkpoint-every 0 \
	--admin-token-file "$T/token" --test-clock --organizer "$ORGANIZERS" --quiet >>"$T/off.log" 2>&1 &
OFF_PID=$!
trap 'kill $OFF_PID 2>/dev/null || true; cleanup' EXIT
for i in $(seq 100); do [ -s "$T/off.port" ] && break; sleep 0.05; done
S="http://127.0.0.1:$(cat "$T/off.port")"
clock "$(msk '2026-06-20 12:00')"
create
for i in $(seq 150); do
	curl -fsS "$S1/api/referendums/cp/board" | grep -q '"kind":"checkpoint"' && break
	sleep 0.1
done
curl -fsS "$S1/api/referendums/cp/board" | grep -q '"kind":"checkpoint"' || fail "no checkpoint by default within 15 s"
if curl -fsS "$S/api/referendums/cp/board" | grep -q '"kind":"checkpoint"'; then fail "a checkpoint with --checkpoint-every 0"; fi
"$URNA" serve --help | grep -q "default 5 seconds; 0 turns them off" || fail "serve's usage names the default"
echo "server_checkpoint: ok"
