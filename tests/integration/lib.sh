# lib.sh: what the integration tests share (sourced, not run: tests/run.sh
# skips it). Source it after `set -uo pipefail` (with -e or without).
# Gives: $URNA, a temporary folder $T removed on exit, an admin token in
# $T/token and $TOKEN, fail MESSAGE, start_server [SERVE ARGS...] (a real
# `urna serve` on 127.0.0.1, on $T/urna.db, a free port chosen by the kernel,
# --test-clock; sets $S to its URL, $SERVER_PID, and A=(--server $S
# --token-file $T/token)), stop_server [SIGNAL] (default TERM, waits),
# api METHOD PATH [BODY] (an admin call: prints the body, fails on non-2xx),
# clock UNIX (sets the test clock), msk 'DATE' (Moscow time to Unix seconds)
# py_crypto (prints a python3 that has the cryptography module), and for
# boards that the server's signed checkpoints (on by default) may extend
# meanwhile: board_extends OLD NEW and head_on_board HEAD_JSON BOARD.
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
# A python3 with the cryptography module (Debian's python3-cryptography,
# installed by scripts/deps.sh), for independent Ed25519 checks: found in
# whichever python3 has it (a python3 earlier on PATH may not see Debian's).
py_crypto() {
	local p
	for p in python3 /usr/bin/python3; do "$p" -c 'import cryptography' 2>/dev/null && { echo "$p"; return 0; }; done
	fail "no python3 with the cryptography module (scripts/deps.sh installs python3-cryptography)"
}

# board_extends OLD NEW: board NEW is board OLD byte for byte and, after it,
# nothing but checkpoint entries (urna serve signs the head of a board that
# grew every few seconds, docs/api.md): what a quiet board may gain between
# two reads.
board_extends() {
	python3 - "$1" "$2" <<'PY'
import json, sys
old, new = (open(f, 'rb').read() for f in sys.argv[1:3])
if not new.startswith(old):
    sys.exit('%s does not begin with %s' % tuple(sys.argv[2:0:-1]))
kinds = [json.loads(l)['kind'] for l in new[len(old):].split(b'\n') if l]
if any(k != 'checkpoint' for k in kinds):
    sys.exit('entries other than checkpoints came since: %s' % kinds)
PY
}

# head_on_board HEAD_JSON BOARD: {"seq","hash"} names a line of BOARD with that hash32.
head_on_board() {
	python3 - "$1" "$2" "$(dirname "${BASH_SOURCE[0]}")/../vectors" <<'PY'
import json, sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[3])
from urnaref import hash32, unb64
h = json.loads(sys.argv[1])
lines = [l for l in open(sys.argv[2], 'rb').read().split(b'\n') if l]
if not (h['seq'] < len(lines) and hash32(lines[h['seq']]) == unb64(h['hash'])):
    sys.exit('head %s is not on the board' % sys.argv[1])
PY
}
