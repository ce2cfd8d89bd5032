#!/usr/bin/env bash
# Bad input to the client commands: each gets a message on stderr and a
# non-zero exit (2 for usage and input errors, 1 for refusals and failures),
# never a crash. Also, against a real server: a key file of the wrong role,
# an organizer the server does not host, a spec whose roles are wrong.
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
# expect_msg CODE PATTERN CMD...: as expect, and stderr matches PATTERN.
expect_msg() {
	local pat=$2
	expect "$1" "${@:3}"
	grep -q -- "$pat" "$T/err" || { echo "FAIL: urna ${*:3}: stderr lacks '$pat': $(cat "$T/err")"; fails=$((fails + 1)); }
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
expect 2 credentials upload --key "$T/k1" "$T/bad.json"
expect 2 credentials check
expect 2 credentials check "$T/c/x.public.json"
# keygen: a role, a name and a file never replaced; --show of a key file
expect 2 keygen
expect 2 keygen --role voter --name V --out "$T/k"
expect 2 keygen --role trustee --name T
expect 2 keygen --role trustee --out "$T/k"
expect 2 keygen --role trustee --name T --out "$T/k" --show "$T/k"
"$URNA" keygen --role trustee --name "Trustee 1" --out "$T/k1" >/dev/null || { echo "FAIL: keygen"; fails=$((fails + 1)); }
expect 1 keygen --role trustee --name "Trustee 1" --out "$T/k1"
expect 2 keygen --show "$T/k1.pub"
expect 2 keygen --show "$T/missing.key"
echo '{"index":1}' >"$T/kbad"
expect 2 keygen --show "$T/kbad"
# trustee: dkg, decrypt, check; keygen and --index are gone (the key's
# place in the referendum is its index)
expect 2 trustee
expect 2 trustee keygen --index 1 --out "$T/k2"
expect 2 trustee dkg --index 1 --key "$T/k1"
expect 2 trustee dkg
expect 2 trustee check
expect 2 trustee decrypt --referendum r --key "$T/kbad" --server http://127.0.0.1:1
expect 2 trustee check --referendum r --key "$T/kbad" --server http://127.0.0.1:1
expect 2 trustee decrypt --referendum R! --key "$T/k1" --server http://127.0.0.1:1
expect 1 trustee decrypt --key "$T/k1" --server http://127.0.0.1:1
expect 2 tally
expect 2 tally --referendum r
expect 2 referendum key r
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
role_key organizer organizer
expect 2 tally --referendum r --key "$T/organizer.key" --server ftp://x
expect 1 tally --referendum r --key "$T/organizer.key" --server http://127.0.0.1:1
expect 2 tally --referendum r --key "$T/missing.key" --server http://127.0.0.1:1
expect 2 tally --referendum r --key "$T/kbad" --server http://127.0.0.1:1
: >"$T/empty.key"
expect 2 tally --referendum r --key "$T/empty.key" --server http://127.0.0.1:1
# --token-file went with protocol 2: no role command takes it
for cmd in "tally --referendum r" "publish --referendum r" "referendum key r" "credentials upload $T/c/x.public.json" \
	"trustee dkg --referendum r" "trustee decrypt --referendum r"; do
	# shellcheck disable=SC2086
	expect_msg 2 "unknown option '--token-file'" $cmd --key "$T/k1" --token-file "$T/token"
done

# Against a real server: keys of the wrong role, an organizer not hosted,
# an unknown referendum.
start_server
role_key other-org organizer "Another organizer"
make_spec "$T/spec.json" <<'EOF'
{"id":"e-ref","title":{"en":"E"},"timezone":"Europe/Moscow","opens_at":"2030-07-01T00:00",
 "closes_at":"2030-07-15T23:59","announce_at":"2030-07-31T12:00","trustees":{"n":1,"t":1},
 "regions":[{"id":"x","name":{"en":"X"},"questions":[{"text":{"en":"Q"},"choices":[{"en":"Yes"},{"en":"No"}],"min":1,"max":1}]}]}
EOF
expect_msg 2 "unauthorized: this server does not host organizer Another organizer" \
	referendum create "$T/spec.json" --server "$S" --key "$T/other-org.key"
expect_msg 1 "k1 is a trustee's key, this step is the organizer's" referendum create "$T/spec.json" --server "$S" --key "$T/k1"
expect_msg 1 "t1.key is a trustee's key, this step is the organizer's" referendum create "$T/spec.json" --server "$S" --key "$T/t1.key"
expect 2 referendum create "$T/spec.json" --server "$S"
expect 2 referendum show nosuch --server "$S"
expect 2 vote --referendum nosuch --region x --credential "$(head -n 1 "$T/c/x.private")" --choice 1 --server "$S"
"$URNA" referendum create "$T/spec.json" "${O[@]}" >/dev/null ||
	{ echo "FAIL: create"; fails=$((fails + 1)); }
expect 1 referendum create "$T/spec.json" "${O[@]}"
expect 1 vote --referendum e-ref --region x --credential "$(head -n 1 "$T/c/x.private")" --choice 1 --server "$S"
expect 1 publish --referendum e-ref "${O[@]}"
expect_msg 1 "t1.key is a trustee's key, this step is the organizer's" publish --referendum e-ref --key "$T/t1.key" --server "$S"
expect_msg 1 "authority.key is a authority's key\|authority.key is an authority's key" referendum key e-ref --key "$T/authority.key" --server "$S"
expect_msg 1 "trustee 1 has not committed" referendum key e-ref "${O[@]}"
expect_msg 1 "does not name this key" trustee dkg --referendum e-ref --key "$T/k1" --no-wait --server "$S"
expect_msg 1 "organizer.key is a organizer's key\|organizer.key is an organizer's key" trustee dkg --referendum e-ref --key "$T/organizer.key" --server "$S"
expect_msg 1 "no DKG state of e-ref" trustee check --referendum e-ref --key "$T/t1.key" --server "$S"
role_key other-auth authority
"$URNA" credentials generate --referendum e-ref --region x --count 2 --out "$T/ce" >/dev/null || { echo "FAIL: generate"; fails=$((fails + 1)); }
expect_msg 1 "referendum e-ref does not name this key (authority \"other-auth\"" \
	credentials upload "$T/ce/x.public.json" --key "$T/other-auth.key" --server "$S"
expect_msg 1 "k1 is a trustee's key, this step is the authority's" credentials upload "$T/ce/x.public.json" --key "$T/k1" --server "$S"
expect_msg 2 "is for r/x, not e-ref/x" credentials upload "$T/c/x.public.json" --referendum e-ref --key "$T/authority.key" --server "$S"
expect_msg 1 "no electorate entry\|not on the board\|no list" credentials check "$T/ce/x.public.json" "${AU[@]}"
# A spec's mistakes are named by their field and place, and nothing is created.
bad_spec() { # PYTHON-STATEMENT on s, the spec: writes $T/bad-spec.json
	python3 -c "import json,sys; s=json.load(open(sys.argv[1])); s['id']='bad-ref'; $1; json.dump(s, open(sys.argv[2],'w'))" \
		"$T/spec.json" "$T/bad-spec.json"
}
bad_spec "del s['announce_at']"
expect_msg 2 '"announce_at" missing' referendum create "$T/bad-spec.json" "${O[@]}"
bad_spec "s['close_at']=s.pop('closes_at')"
expect_msg 2 'unknown key "close_at"' referendum create "$T/bad-spec.json" "${O[@]}"
bad_spec "s['opens_at']='1 July'"
expect_msg 2 '"opens_at": time "1 July" is not' referendum create "$T/bad-spec.json" "${O[@]}"
bad_spec "del s['regions'][0]['questions'][0]['choices']"
expect_msg 2 'region x, question 1: question: "choices" missing' referendum create "$T/bad-spec.json" "${O[@]}"
bad_spec "s['regions'][0]['questions'][0]['mn']=1"
expect_msg 2 'unknown key "mn"' referendum create "$T/bad-spec.json" "${O[@]}"
bad_spec "s['opens_at']='2026-01-01T00:00'"
expect_msg 2 '"opens_at" 2026-01-01T00:00 is past' referendum create "$T/bad-spec.json" "${O[@]}"
# ... and the roles: protocol 1's "n", a missing .pub, a .pub of another
# role, a role twice, a region no authority has, another server's key.
bad_spec "s['trustees']={'n':1,'t':1}"
expect_msg 2 'the spec needs "trustees": {"t", "members": \[...\]}' referendum create "$T/bad-spec.json" "${O[@]}"
bad_spec "s['trustees']['members']=['nosuch.pub']"
expect_msg 2 'trustee 1: cannot open .*nosuch.pub' referendum create "$T/bad-spec.json" "${O[@]}"
bad_spec "s['trustees']['members']=['authority.pub']"
expect_msg 1 'trustee 1: .*authority.pub is the public key of authority "Credential authority", not of a trustee' \
	referendum create "$T/bad-spec.json" "${O[@]}"
bad_spec "s['authorities'][0]['public']='t1.pub'"
expect_msg 1 'authority 1: .*t1.pub is the public key of trustee "Trustee 1", not of an authority' referendum create "$T/bad-spec.json" "${O[@]}"
bad_spec "s['trustees']={'t':1,'members':['t1.pub','t1.pub']}"
expect_msg 2 'each role needs its own key' referendum create "$T/bad-spec.json" "${O[@]}"
bad_spec "s['trustees']['t']=2"
expect_msg 2 'trustees must satisfy 1 <= t <= n = 1' referendum create "$T/bad-spec.json" "${O[@]}"
bad_spec "s['authorities'][0]['regions']=['nowhere']"
expect_msg 2 'authority 1: region nowhere is not one of the referendum' referendum create "$T/bad-spec.json" "${O[@]}"
bad_spec "s['trustees']['members']=[{'name':'T','key':'AAAA'}]"
expect_msg 2 'trustee 1: "key" is not base64url of 32 bytes' referendum create "$T/bad-spec.json" "${O[@]}"
role_key other-server server
bad_spec "s['server']='other-server.pub'"
expect_msg 1 'HTTP 422 mismatch: the referendum names server key' referendum create "$T/bad-spec.json" "${O[@]}"
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
