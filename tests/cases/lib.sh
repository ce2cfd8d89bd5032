# lib.sh: shared by tests/integration/server*.sh. Starts `urna serve` on a
# free port of 127.0.0.1 with a temporary database, and cleans up on exit.
#   T        temporary directory (database, token, logs)
#   S        http://127.0.0.1:PORT
#   start_server [ARGS...]   (re)starts the server on $T/urna.db
#   stop_server [SIGNAL]     stops it (default TERM) and waits
set -euo pipefail
URNA=${URNA:-build/urna}
T=$(mktemp -d)
SERVER_PID=
S=
cleanup() {
	if [ -n "$SERVER_PID" ]; then kill -9 "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
	rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$T/server.log" ] && tail -n 30 "$T/server.log" >&2; exit 1; }
head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$T/token"
TOKEN=$(cat "$T/token")

start_server() {
	rm -f "$T/port"
	"$URNA" serve --db "$T/urna.db" --listen 127.0.0.1:0 --port-file "$T/port" \
		--admin-token-file "$T/token" --test-clock "$@" >>"$T/server.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 100); do
		[ -s "$T/port" ] && break
		kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited"
		sleep 0.05
	done
	[ -s "$T/port" ] || fail "server did not start"
	S="http://127.0.0.1:$(cat "$T/port")"
}

stop_server() {
	[ -n "$SERVER_PID" ] || return 0
	kill "-${1:-TERM}" "$SERVER_PID" 2>/dev/null || true
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=
}

# api METHOD PATH [BODY]: admin call, prints the body, fails on non-2xx.
api() {
	curl -fsS -X "$1" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		${3:+--data-binary "$3"} "$S$2" || fail "$1 $2"
}
clock() { api POST /api/clock "{\"now\":$1}" >/dev/null; }
msk() { TZ=Europe/Moscow date -d "$1" +%s; }
