#!/usr/bin/env bash
# The README's "A referendum by hand" runs as written: its commands are taken
# from README.md (the indented lines of that section, in order) and run in a
# folder outside the checkout against a real server, `urna clock set` lines
# included. What differs: `make site` is left to `make test`; the server is
# lib.sh's (a free port, not 8080, its URL in URNA_SERVER; the organizer it
# hosts is the README's own --organizer "$(...)" expression, evaluated in the
# rehearsal folder, ~/urna-rehearsal is a folder of $T); the lines a trustee
# runs (naming t1.key) run for each trustee: keygen (when not a loop already),
# dkg and check for every trustee the spec names (dkg in the background, the
# organizer's `referendum key` once each says it waits for the organizer),
# decrypt for the spec's t of them. A README that drifts
# from the CLI fails here; so does a site whose booth cannot load, and a
# docs/example-spec.json whose roles are not the files the README makes.
# (URNA_README and URNA_EXAMPLE_SPEC name other files, to try a draft.)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROOT=$(pwd)
README=${URNA_README:-$ROOT/README.md}
EXAMPLE=${URNA_EXAMPLE_SPEC:-$ROOT/docs/example-spec.json}
BIN=$(cd "$(dirname "$URNA")" && pwd)
URNA=$BIN/$(basename "$URNA")                    # lib.sh's start_server runs it from the rehearsal folder
[ "$(basename "$URNA")" = urna ] || fail "URNA must be a binary named urna: $URNA"
awk '/^## A referendum by hand/{on=1; next} /^## /{on=0} on && /^    /{sub(/^    /, ""); print}' "$README" >"$T/steps"
[ "$(grep -c '^urna ' "$T/steps")" -ge 18 ] || fail "the README's steps are not where this test looks: $(cat "$T/steps")"
for want in "urna keygen --role organizer" "urna keygen --role authority" "urna keygen --role trustee" "--organizer" \
	"urna trustee check" "urna credentials check"; do
	grep -q -- "$want" "$T/steps" || fail "the README's steps lack $want (protocol 2: every role its key): $(cat "$T/steps")"
done
! grep -q -- "--token-file token$\|--token-file token " <(grep -v '^urna clock set' "$T/steps") ||
	fail "a README step other than urna clock set takes the token: $(grep -- --token-file "$T/steps" | grep -v '^urna clock set')"
# spec N|t: from the rehearsal's spec.json, once it is there
spec() { python3 -c 'import json,sys; t=json.load(open("spec.json"))["trustees"]; print(len(t["members"]) if sys.argv[1] == "N" else t["t"])' "$1"; }
each() { # FROM TO CMD: CMD for trustees FROM..TO, t1 made tI ("Trustee 1" too)
	local i c
	for i in $(seq "$1" "$2"); do c=${3//t1./t$i.}; c=${c//Trustee 1/Trustee $i}; run "$c"; done
}
dkg=()
run() { eval "$1" >>"$T/out" 2>&1 || fail "$1: $(tail -5 "$T/out")"; }
while IFS= read -r line; do
	cmd=${line%%#*}                               # the command, without its comment
	case "$line" in
	"#"*) continue ;;
	"make site"*) continue ;;                    # make test has built it all
	"export PATH="*) export PATH="$BIN:$PATH" SPEC="$EXAMPLE"; continue ;;
	"mkdir -p ~/"*) run "${cmd//\~\/urna-rehearsal/$T/rehearsal}"; [ "$(pwd)" = "$T/rehearsal" ] || fail "not in the rehearsal folder: $cmd" ;;
	"head -c"*) cp "$T/token" token; continue ;; # lib.sh's token, so its clock() and api() work too
	"cp "*example-spec.json*|"cp "*'$SPEC'*)
		run "$(sed -E "s#[^ \"]*docs/example-spec.json#$EXAMPLE#" <<<"$cmd")"
		[ "$(spec N)" -ge 2 ] || fail "the example spec names fewer than 2 trustees" ;;
	"urna serve "*)
		org=$(sed -nE 's/.*--organizer ("\$\(.*\)"|[^ ]+).*/\1/p' <<<"$cmd")
		[ -n "$org" ] || fail "the README's urna serve names no --organizer: $cmd"
		eval "ORGANIZERS=$org"
		[ "$ORGANIZERS" = "$(pubkey organizer.key)" ] || fail "the README's --organizer is not organizer.key's public key: $ORGANIZERS"
		start_server                             # no --web: the checkout's web/, named at build time
		export URNA_SERVER=$S
		for f in booth.html js/booth.js node_modules/libsodium-wrappers-sumo/dist/modules-sumo-esm/libsodium-wrappers.mjs; do
			curl -fsS -o /dev/null "$S/$f" || fail "the site, started from outside the checkout, lacks /$f"
		done
		grep -q WARNING "$T/server.log" && fail "urna serve warned: $(cat "$T/server.log")"
		continue ;;
	*"keygen --role trustee"*t1.key*)
		each 1 3 "$cmd" ;;                       # before spec.json is there: the README's three
	*"trustee dkg"*)
		cmd=${cmd%&*}
		for i in $(seq "$(spec N)"); do eval "${cmd//t1./t$i.}" >"$T/dkg.$i" 2>&1 & dkg+=($!); done ;;
	*"referendum key"*)
		for i in $(seq "$(spec N)"); do
			for _ in $(seq 200); do grep -q "waiting for the organizer" "$T/dkg.$i" && break; sleep 0.05; done
			grep -q "waiting for the organizer" "$T/dkg.$i" || fail "trustee $i never waited for the organizer: $(cat "$T/dkg.$i")"
		done
		run "$cmd"
		for p in "${dkg[@]}"; do wait "$p" || fail "a trustee's dkg failed"; done ;;
	*"trustee decrypt"*) each 1 "$(spec t)" "$cmd" ;;
	*"trustee check"*) each 1 "$(spec N)" "$cmd" ;;
	*) run "$cmd" ;;
	esac
done <"$T/steps"
cd "$T/rehearsal"
for k in organizer authority t1 t2 t3; do
	[ "$(stat -c %a "$k.key")" = 600 ] || fail "$k.key is not 0600"
done
# (whom: the commitments or the sealed shares of trustee N, whichever the
# race between the three left it waiting for)
grep -q "waiting for the [a-z ]* of trustees\? [0-9]" "$T"/dkg.* || fail "no trustee said whom it waited for: $(cat "$T"/dkg.*)"
grep -q "server clock: 2027-07-01T10:00:00 Europe/Moscow" "$T/out" || fail "urna clock set: $(grep 'server clock' "$T/out")"
grep -q "verified: every check holds" "$T/out" || fail "the walkthrough did not end verified: $(tail -5 "$T/out")"
grep -q "^ON THE BOARD: the ballot is entry" "$T/out" || fail "the voter's receipt did not check out: $(tail -5 "$T/out")"
grep -q "ballots cast 1, counted after re-voting 1" "$T/out" || fail "results: $(tail -20 "$T/out")"
grep -q "next: any 2 trustees run" "$T/out" || fail "tally did not name the threshold: $(grep next: "$T/out")"
[ "$(grep -c "trustee [0-9]: all [0-9]* checks hold" "$T/out")" = "$(spec N)" ] || fail "trustee check: $(grep 'trustee [0-9]:' "$T/out")"
grep -q "the board holds exactly this file's 5 credentials, signed by this authority" "$T/out" ||
	fail "credentials check: $(grep -i credentials "$T/out")"
# the organizer's fingerprint, as urna keygen printed it, is the one the referendum shows
fp=$("$URNA" keygen --show organizer.key | sed -n 's/.*fingerprint: *//p')
"$URNA" referendum show demo-2027 --server "$S" | grep -Eq "^  organizer +$fp " || fail "referendum show: the organizer is not $fp"
echo "readme_by_hand: ok"
