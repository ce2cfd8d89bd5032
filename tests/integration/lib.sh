# lib.sh: what the integration tests share (sourced, not run: tests/run.sh
# skips it). Source it after `set -uo pipefail` (with -e or without).
# Gives: $URNA, a temporary folder $T removed on exit, an admin token in
# $T/token and $TOKEN, fail MESSAGE, start_server [SERVE ARGS...] (a real
# `urna serve` on 127.0.0.1, on $T/urna.db, a free port chosen by the kernel,
# --test-clock; sets $S to its URL, $SERVER_PID, and A=(--server $S
# --token-file $T/token)), stop_server [SIGNAL] (default TERM, waits),
# api METHOD PATH [BODY] (an admin call: prints the body, fails on non-2xx),
# clock UNIX (sets the test clock) and msk 'DATE' (Moscow time to Unix seconds).
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

stop_server() {
	[ -n "$SERVER_PID" ] || return 0
	kill "-${1:-TERM}" "$SERVER_PID" 2>/dev/null || true
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=
}

start_server() {
	rm -f "$T/port"
	"$URNA" serve --db "$T/urna.db" --listen 127.0.0.1:0 --port-file "$T/port" \
		--admin-token-file "$T/token" --test-clock "$@" >>"$T/server.log" 2>&1 &
	SERVER_PID=$!
	local i
	for i in $(seq 100); do
		[ -s "$T/port" ] && break
		kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited at start"
		sleep 0.05
	done
	[ -s "$T/port" ] || fail "server did not start"
	S="http://127.0.0.1:$(cat "$T/port")"
	A=(--server "$S" --token-file "$T/token")
}

api() {
	curl -fsS -X "$1" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		${3:+--data-binary "$3"} "$S$2" || fail "$1 $2"
}
clock() { api POST /api/clock "{\"now\":$1}" >/dev/null; }
msk() { TZ=Europe/Moscow date -d "$1" +%s; }
