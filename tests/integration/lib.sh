# lib.sh: what the integration tests share. Source it after `set -euo pipefail`.
# Gives: $URNA, a temporary folder $T removed on exit, fail MESSAGE,
# start_server [SERVE ARGS...] (a real `urna serve` on 127.0.0.1, a free port
# chosen by the kernel, a fresh admin token in $T/token, --test-clock; sets
# $S to its URL, $SERVER_PID, and A=(--server $S --token-file $T/token)),
# stop_server, clock UNIX (sets the test clock) and msk 'DATE' (Moscow time to
# Unix seconds).
URNA=${URNA:-build/urna}
T=$(mktemp -d)
SERVER_PID=
cleanup() {
	stop_server
	rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$T/server.log" ] && tail -n 20 "$T/server.log" >&2; exit 1; }

stop_server() {
	if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
	SERVER_PID=
}

start_server() {
	[ -f "$T/token" ] || head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$T/token"
	rm -f "$T/port"
	"$URNA" serve --db "$T/urna.db" --listen 127.0.0.1:0 --port-file "$T/port" \
		--admin-token-file "$T/token" --test-clock "$@" >>"$T/server.log" 2>&1 &
	SERVER_PID=$!
	local i
	for i in $(seq 100); do
		if [ -s "$T/port" ]; then
			S="http://127.0.0.1:$(cat "$T/port")"
			curl -fs "$S/api/referendums" >/dev/null 2>&1 && break
		fi
		kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited at start"
		sleep 0.1
	done
	curl -fs "$S/api/referendums" >/dev/null 2>&1 || fail "server did not start"
	A=(--server "$S" --token-file "$T/token")
}

clock() {
	curl -fsS -X POST -H "Authorization: Bearer $(cat "$T/token")" -H 'Content-Type: application/json' \
		-d "{\"now\":$1}" "$S/api/clock" >/dev/null || fail "set clock to $1"
}
msk() { TZ=Europe/Moscow date -d "$1" +%s; }
