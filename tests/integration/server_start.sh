#!/usr/bin/env bash
# A second `urna serve` on a port or a database already in use fails at start
# with a clear message and leaves the first serving alone; once the first has
# stopped, the same port and database start again at once.
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

# The first server still answers, alone: its test clock is where it was set.
for i in 1 2 3 4 5; do
	curl -fsS -H "Authorization: Bearer $TOKEN" "$S/api/clock" | grep -q '"now":1782853200' || fail "the first server's clock, try $i"
done

stop_server
"$URNA" serve --db "$T/urna.db" --listen "127.0.0.1:$PORT" --admin-token-file "$T/token" --quiet >>"$T/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 100); do curl -fsS "$S/api/referendums" >/dev/null 2>&1 && break; sleep 0.05; done
curl -fsS "$S/api/referendums" >/dev/null || fail "restart on the same port and database"
echo "server_start: ok"
