#!/usr/bin/env bash
# Bad input to the client commands: each gets a message on stderr and a
# non-zero exit (2 for usage and input errors, 1 for refusals and failures),
# never a crash. Also: a wrong admin token is refused by a real server.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
fails=0
# expect CODE CMD...: the command exits with CODE and says something on stderr.
expect() {
	local want=$1; shift
	"$URNA" "$@" >"$T/out" 2>"$T/err"
	local rc=$?
	if [ "$rc" -ne "$want" ] || [ ! -s "$T/err" ] || [ "$rc" -ge 128 ]; then
		echo "FAIL: urna $* -> exit $rc (want $want), stderr: $(head -c 300 "$T/err")"
		fails=$((fails + 1))
	else
		echo "ok   urna $* -> $rc: $(head -n 1 "$T/err")"
	fi
}
expect 2 vote
expect 2 vote --referendum r --region x --credential AAAA --choice 1
expect 2 vote --referendum R! --region x --credential AAAA --choice 1
expect 2 vote --referendum r --region x --credential AAAA --choice 1 --answers 1
expect 2 vote --bogus
expect 2 referendum
expect 2 referendum frobnicate
expect 2 referendum create
expect 2 referendum create "$T/missing.json"
echo '{"id":' >"$T/bad.json"
expect 2 referendum create "$T/bad.json"
expect 2 referendum schedule r1
expect 2 credentials
expect 2 credentials generate --referendum r --region x --count 0 --out "$T/c"
expect 2 credentials generate --referendum r --region x --count many --out "$T/c"
expect 2 credentials generate --referendum r --region X --count 3 --out "$T/c"
"$URNA" credentials generate --referendum r --region x --count 3 --out "$T/c" >/dev/null || { echo "FAIL: generate"; fails=$((fails + 1)); }
expect 1 credentials generate --referendum r --region x --count 3 --out "$T/c"
expect 2 credentials upload
expect 2 credentials upload "$T/bad.json"
expect 2 trustee
expect 2 trustee keygen --index 0 --out "$T/k"
expect 2 trustee keygen --index 1
"$URNA" trustee keygen --index 1 --out "$T/k1" >/dev/null || { echo "FAIL: keygen"; fails=$((fails + 1)); }
expect 1 trustee keygen --index 1 --out "$T/k1"
echo '{"index":1}' >"$T/kbad"
expect 2 trustee decrypt --referendum r --index 1 --key "$T/kbad" --server http://127.0.0.1:1
expect 2 trustee dkg --index 1
expect 2 trustee decrypt --key "$T/k1"
expect 2 tally
expect 2 publish --referendum
expect 2 results
expect 2 results "$T/nowhere" --referendum r
expect 1 results "$T/nowhere"
expect 2 export --referendum r
expect 2 audit-ballot
expect 2 audit-ballot "$T/bad.json"
echo '{"ballot":{}}' >"$T/a.json"
expect 2 audit-ballot "$T/a.json"
expect 2 demo --voters 5
expect 2 demo --voters lots
expect 2 tally --referendum r --server ftp://x
expect 1 tally --referendum r --server http://127.0.0.1:1
expect 2 tally --referendum r --token-file "$T/missing-token"
: >"$T/empty-token"
expect 2 tally --referendum r --token-file "$T/empty-token"

# Against a real server: a wrong token, an unknown referendum.
echo wrong >"$T/wrong"
start_server
cat >"$T/spec.json" <<'EOF'
{"id":"e-ref","title":{"en":"E"},"timezone":"Europe/Moscow","opens_at":"2030-07-01T00:00",
 "closes_at":"2030-07-15T23:59","announce_at":"2030-07-31T12:00","trustees":{"n":1,"t":1},
 "regions":[{"id":"x","name":{"en":"X"},"questions":[{"text":{"en":"Q"},"choices":[{"en":"Yes"},{"en":"No"}],"min":1,"max":1}]}]}
EOF
expect 2 referendum create "$T/spec.json" --server "$S" --token-file "$T/wrong"
expect 2 referendum create "$T/spec.json" --server "$S"
expect 2 referendum show nosuch --server "$S"
expect 2 vote --referendum nosuch --region x --credential "$(head -n 1 "$T/c/x.private")" --choice 1 --server "$S"
"$URNA" referendum create "$T/spec.json" --server "$S" --token-file "$T/token" >/dev/null ||
	{ echo "FAIL: create"; fails=$((fails + 1)); }
expect 1 referendum create "$T/spec.json" --server "$S" --token-file "$T/token"
expect 1 vote --referendum e-ref --region x --credential "$(head -n 1 "$T/c/x.private")" --choice 1 --server "$S"
expect 1 publish --referendum e-ref --server "$S" --token-file "$T/token"
# A spec's mistakes are named by their field and place, and nothing is created.
# expect_msg CODE PATTERN CMD...: as expect, and stderr matches PATTERN.
expect_msg() {
	local pat=$2
	expect "$1" "${@:3}"
	grep -q -- "$pat" "$T/err" || { echo "FAIL: urna ${*:3}: stderr lacks '$pat': $(cat "$T/err")"; fails=$((fails + 1)); }
}
bad_spec() { # PYTHON-STATEMENT on s, the spec: writes $T/bad-spec.json
	python3 -c "import json,sys; s=json.load(open(sys.argv[1])); s['id']='bad-ref'; $1; json.dump(s, open(sys.argv[2],'w'))" \
		"$T/spec.json" "$T/bad-spec.json"
}
bad_spec "del s['announce_at']"
expect_msg 2 '"announce_at" missing' referendum create "$T/bad-spec.json" "${A[@]}"
bad_spec "s['close_at']=s.pop('closes_at')"
expect_msg 2 'unknown key "close_at"' referendum create "$T/bad-spec.json" "${A[@]}"
bad_spec "s['opens_at']='1 July'"
expect_msg 2 '"opens_at": time "1 July" is not' referendum create "$T/bad-spec.json" "${A[@]}"
bad_spec "del s['regions'][0]['questions'][0]['choices']"
expect_msg 2 'region x, question 1: question: "choices" missing' referendum create "$T/bad-spec.json" "${A[@]}"
bad_spec "s['regions'][0]['questions'][0]['mn']=1"
expect_msg 2 'unknown key "mn"' referendum create "$T/bad-spec.json" "${A[@]}"
bad_spec "s['opens_at']='2026-01-01T00:00'"
expect_msg 2 '"opens_at" 2026-01-01T00:00 is past' referendum create "$T/bad-spec.json" "${A[@]}"
expect_msg 2 'no referendum bad-ref' referendum show bad-ref --server "$S"

# Every command answers `urna help CMD` and `urna CMD --help` with its usage, exit 0.
for cmd in $("$URNA" help | awk '/^commands:/{on=1; next} on && NF {print $1}'); do
	for form in "help $cmd" "$cmd --help"; do
		# shellcheck disable=SC2086
		if "$URNA" $form >"$T/out" 2>"$T/err" && grep -q "^usage: urna $cmd" "$T/out"; then
			echo "ok   urna $form -> 0: $(head -n 1 "$T/out")"
		else
			echo "FAIL: urna $form: $(head -c 300 "$T/out" "$T/err")"; fails=$((fails + 1))
		fi
	done
done
expect 2 help frobnicate
expect 2 clock set 2027-07-01T10:00 --zone Nowhere/Atlantis
expect 2 clock set 2027-03-28T02:30 --zone Europe/Berlin
expect 2 clock sometime
echo "cli_errors: $fails failure(s)"
[ "$fails" -eq 0 ]
