#!/usr/bin/env bash
# Signed checkpoints (docs/protocol.md s.11, s.15): with --checkpoint-every,
# a board that grew gets a checkpoint entry whose head is hash32 of line seq
# and whose signature verifies under the referendum entry's server_key; an
# idle board gets no second one; the key survives a restart.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
start_server --checkpoint-every 1
clock "$(msk '2026-06-20 12:00')"
api POST /api/referendums '{"id":"cp","title":{"en":"Checkpoints"},"timezone":"Europe/Moscow","opens_at":"2026-07-01T00:00","closes_at":"2026-07-15T23:59","announce_at":"2026-07-16T12:00","trustees":{"n":1,"t":1},"regions":[{"id":"a","name":{"en":"A"},"questions":[{"text":{"en":"?"},"choices":[{"en":"Y"},{"en":"N"}],"min":1,"max":1}]}]}' >/dev/null
sleep 2.5
curl -fsS "$S/api/referendums/cp/board" >"$T/board"
[ "$(grep -c '"kind":"checkpoint"' "$T/board")" = 1 ] || fail "want one checkpoint: $(cat "$T/board")"
# An independent Ed25519 check: Python's cryptography module (Debian's
# python3-cryptography, installed by scripts/deps.sh), found in whichever
# python3 has it (a python3 earlier on PATH may not see Debian's modules).
PY=
for p in python3 /usr/bin/python3; do "$p" -c 'import cryptography' 2>/dev/null && { PY=$p; break; }; done
[ -n "$PY" ] || fail "no python3 with the cryptography module (scripts/deps.sh installs python3-cryptography)"
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
echo "server_checkpoint: ok"
