# lib.sh: what the integration tests share (sourced, not run: tests/run.sh
# skips it). Source it after `set -uo pipefail` (with -e or without).
# Gives: $URNA, a temporary folder $T removed on exit, an admin token in
# $T/token and $TOKEN (protocol 2: it sets the test clock, nothing else),
# fail MESSAGE, and the roles' keys (docs/protocol.md s.17): role_key NAME
# ROLE (urna keygen into $T/NAME.key and $T/NAME.pub, once), pubkey KEYFILE
# (its public key, base64url, as `urna keygen --show` prints it), keys [N]
# ($T/organizer.key, $T/authority.key, $T/t1.key..tN.key, default N 3),
# make_spec OUT [IN] (a spec, IN or stdin, with its roles filled in from
# those key files: "trustees":{"n":N,"t":t} becomes {"t":t,"members":
# ["t1.pub".."tN.pub"]}, no "authorities" becomes authority.pub for every
# region; OUT in $T, beside the .pub files it names) and example_spec OUT
# (docs/example-spec.json so). start_server [SERVE ARGS...] is a real `urna
# serve` on 127.0.0.1, on $T/urna.db, a free port chosen by the kernel,
# --test-clock, hosting the organizers in $ORGANIZERS (default: the key of
# $T/organizer.key, made if need be; set it empty for none); it sets $S to
# its URL, $SERVER_PID, A=(--server $S), O=(--server $S --key
# $T/organizer.key) and AU=(--server $S --key $T/authority.key). Also
# stop_server [SIGNAL] (default TERM, waits), api METHOD PATH [BODY] (a call
# with the admin token: prints the body, fails on non-2xx), clock UNIX (sets
# the test clock), msk 'DATE' (Moscow time to Unix seconds), ceremony ID N
# [TIMEOUT] (trustees t1..tN run `urna trustee dkg`, the organizer ends it,
# each trustee stores its share), py_crypto (prints a python3 that has the
# cryptography module), and for boards that the server's signed checkpoints
# (on by default) may extend meanwhile: board_extends OLD NEW and
# head_on_board HEAD_JSON BOARD.
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
	if [ -z "${ORGANIZERS+x}" ]; then role_key organizer organizer; ORGANIZERS=$(pubkey "$T/organizer.key"); fi
	local -a org=()
	[ -n "$ORGANIZERS" ] && org=(--organizer "$ORGANIZERS")
	"$URNA" serve --db "$T/urna.db" --listen 127.0.0.1:0 --port-file "$T/port" \
		--admin-token-file "$T/token" --test-clock "${org[@]}" "$@" >>"$T/server.log" 2>&1 &
	SERVER_PID=$!
	local i
	for i in $(seq 100); do
		[ -s "$T/port" ] && break
		kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited at start"
		sleep 0.05
	done
	[ -s "$T/port" ] || fail "server did not start"
	S="http://127.0.0.1:$(cat "$T/port")"
	A=(--server "$S")
	O=(--server "$S" --key "$T/organizer.key")
	AU=(--server "$S" --key "$T/authority.key")
}

api() {
	curl -fsS -X "$1" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		${3:+--data-binary "$3"} "$S$2" || fail "$1 $2"
}
clock() { api POST /api/clock "{\"now\":$1}" >/dev/null; }

# role_key NAME ROLE [HOLDER]: $T/NAME.key (and NAME.pub) of ROLE, made once.
role_key() {
	[ -f "$T/$1.key" ] || "$URNA" keygen --role "$2" --name "${3:-$1}" --out "$T/$1.key" >/dev/null ||
		fail "urna keygen --role $2 --out $T/$1.key"
}
# pubkey KEYFILE: its public key (base64url), read as the README reads it.
pubkey() { "$URNA" keygen --show "$1" | sed -n 's/.*public key: *//p'; }
# keys [N]: the organizer's, the authority's and trustees 1..N's key files in $T.
keys() {
	local i
	role_key organizer organizer "Organizer"
	role_key authority authority "Credential authority"
	for i in $(seq "${1:-3}"); do role_key "t$i" trustee "Trustee $i"; done
}
# make_spec OUT [IN]: IN (default stdin) with its roles filled in (see above).
make_spec() {
	local out=$1 n
	python3 -c '
import json, sys
s = json.load(open(sys.argv[2]) if len(sys.argv) > 2 else sys.stdin)
tr = s.setdefault("trustees", {})
if "n" in tr:
    tr["members"] = ["t%d.pub" % i for i in range(1, tr.pop("n") + 1)]
if "authorities" not in s:
    s["authorities"] = [{"public": "authority.pub", "regions": [r["id"] for r in s["regions"]]}]
json.dump(s, open(sys.argv[1], "w"), ensure_ascii=False, indent=1)
print(sum(1 for m in tr.get("members", []) if isinstance(m, str)))' "$out" "${@:2}" >"$T/.spec-n" || fail "make_spec $out"
	n=$(cat "$T/.spec-n")
	[ "$(cd "$(dirname "$out")" && pwd)" = "$(cd "$T" && pwd)" ] || fail "make_spec: $out is not in $T, beside the keys"
	keys "$n"
}
example_spec() { make_spec "$1" "$(dirname "${BASH_SOURCE[0]}")/../../docs/example-spec.json"; }
# ceremony ID N [TIMEOUT]: the key ceremony of trustees t1..tN, each a process
# of its own: each posts what it can (--no-wait), the organizer ends it, each
# then stores its share. Their output in $T/dkg.I.
ceremony() {
	local id=$1 n=$2 to=${3:-30} i
	local -a pids=()
	for i in $(seq "$n"); do
		"$URNA" trustee dkg --referendum "$id" --key "$T/t$i.key" --no-wait --timeout "$to" "${A[@]}" >"$T/dkg.$i" 2>&1 &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || fail "dkg of $id: $(cat "$T"/dkg.*)"; done
	"$URNA" referendum key "$id" "${O[@]}" >/dev/null || fail "referendum key $id"
	for i in $(seq "$n"); do
		"$URNA" trustee dkg --referendum "$id" --key "$T/t$i.key" --timeout 10 "${A[@]}" >>"$T/dkg.$i" 2>&1 ||
			fail "dkg finish $i of $id: $(cat "$T/dkg.$i")"
	done
}
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
