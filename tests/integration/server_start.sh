#!/usr/bin/env bash
# A second `urna serve` on a port or a database already in use fails at start
# with a clear message and leaves the first serving alone; so do an
# --organizer that is no public key and a --key that is not a server's;
# once the first has stopped, the same port and database start again at
# once, with the same server key (GET /api/server) and the organizers named.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
start_server
PORT=$(cat "$T/port")
api POST /api/clock '{"now":1782853200}' >/dev/null
second() { timeout 10 "$URNA" serve --admin-token-file "$T/token" --quiet "$@" >"$T/second.log" 2>&1; }

if second --db "$T/other.db" --listen "127.0.0.1:$PORT"; then fail "a second server started on a port in use"; fi
grep -q "cannot listen on 127.0.0.1:$PORT: Address already in use" "$T/second.log" || fail "port in use: $(cat "$T/second.log")"

if second --db "$T/urna.db" --listen 127.0.0.1:0; then fail "a second server started on a database in use"; fi
grep -q "database $T/urna.db is in use by pid $SERVER_PID" "$T/second.log" || fail "database in use: $(cat "$T/second.log")"

if second --db "$T/other.db" --listen 127.0.0.1:0 --organizer not-a-key; then fail "a server started with --organizer not-a-key"; fi
grep -q "organizer not-a-key: not an Ed25519 public key" "$T/second.log" || fail "bad --organizer: $(cat "$T/second.log")"
role_key t1 trustee
if second --db "$T/other.db" --listen 127.0.0.1:0 --key "$T/t1.key"; then fail "a server started with a trustee's key"; fi
grep -q "t1.key is a trustee key, not a server's" "$T/second.log" || fail "--key of a trustee: $(cat "$T/second.log")"

# The first server still answers, alone: its test clock is where it was set.
for i in 1 2 3 4 5; do
	curl -fsS -H "Authorization: Bearer $TOKEN" "$S/api/clock" | grep -q '"now":1782853200' || fail "the first server's clock, try $i"
done

curl -fsS "$S/api/server" >"$T/server.json" || fail "GET /api/server"
stop_server
role_key org2 organizer
"$URNA" serve --db "$T/urna.db" --listen "127.0.0.1:$PORT" --admin-token-file "$T/token" --quiet \
	--organizer "$ORGANIZERS,$(pubkey "$T/org2.key")" >>"$T/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 100); do curl -fsS "$S/api/referendums" >/dev/null 2>&1 && break; sleep 0.05; done
curl -fsS "$S/api/referendums" >/dev/null || fail "restart on the same port and database"
curl -fsS "$S/api/server" >"$T/server2.json"
python3 - "$T/server.json" "$T/server2.json" "$ORGANIZERS" "$(pubkey "$T/org2.key")" "$T/urna.db.pub" <<'PY' || fail "GET /api/server after the restart: $(cat "$T/server2.json")"
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
pub = json.load(open(sys.argv[5]))
assert a['key'] == b['key'] == pub['public_key'] and a['fingerprint'] == b['fingerprint'] == pub['fingerprint'], (a, b, pub)
assert [o['key'] for o in a['organizers']] == [sys.argv[3]], a
assert [o['key'] for o in b['organizers']] == sys.argv[3:5], b
PY
echo "server_start: ok"
