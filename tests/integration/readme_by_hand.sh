#!/usr/bin/env bash
# The README's "A referendum by hand" runs as written: its commands are taken
# from README.md (the indented lines of that section, in order) and run in a
# folder outside the checkout against a real server, `urna clock set` lines
# included. What differs: `make site` is left to `make test`; the server is
# lib.sh's (a free port, not 8080, its URL in URNA_SERVER); the lines a
# trustee runs (`--index 1`) run for each trustee the comments name: keygen
# and dkg for 1..3 (dkg in the background, the organizer's `referendum key`
# once each says it waits for the organizer), decrypt for 1..2. A README that
# drifts from the CLI fails here; so does a site whose booth cannot load.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROOT=$(pwd)
BIN=$(cd "$(dirname "$URNA")" && pwd)
URNA=$BIN/$(basename "$URNA")                    # lib.sh's start_server runs it from the rehearsal folder
[ "$(basename "$URNA")" = urna ] || fail "URNA must be a binary named urna: $URNA"
awk '/^## A referendum by hand/{on=1; next} /^## /{on=0} on && /^    /{sub(/^    /, ""); print}' README.md >"$T/steps"
[ "$(grep -c '^urna ' "$T/steps")" -ge 14 ] || fail "the README's steps are not where this test looks: $(cat "$T/steps")"
dkg=()
run() { eval "$1" >>"$T/out" 2>&1 || fail "$1: $(tail -5 "$T/out")"; }
while IFS= read -r line; do
	cmd=${line%%#*}                               # the command, without its comment
	case "$line" in
	"#"*) continue ;;
	"make site"*) continue ;;                    # make test has built it all
	"export PATH="*) export PATH="$BIN:$PATH" SPEC="$ROOT/docs/example-spec.json"; continue ;;
	"mkdir -p ~/"*) mkdir -p "$T/rehearsal" && cd "$T/rehearsal"; continue ;;
	"head -c"*) cp "$T/token" token; continue ;; # lib.sh's token, so its clock() and api() work too
	"urna serve "*)
		start_server                             # no --web: the checkout's web/, named at build time
		export URNA_SERVER=$S
		for f in booth.html js/booth.js node_modules/libsodium-wrappers-sumo/dist/modules-sumo-esm/libsodium-wrappers.mjs; do
			curl -fsS -o /dev/null "$S/$f" || fail "the site, started from outside the checkout, lacks /$f"
		done
		grep -q WARNING "$T/server.log" && fail "urna serve warned: $(cat "$T/server.log")"
		continue ;;
	*"trustee keygen"*)
		for i in 1 2 3; do run "${cmd//--index 1 --out t1/--index $i --out t$i}"; done ;;
	*"trustee dkg"*)
		cmd=${cmd%&*}
		for i in 1 2 3; do eval "${cmd//--index 1 --key t1/--index $i --key t$i}" >"$T/dkg.$i" 2>&1 & dkg+=($!); done ;;
	*"referendum key"*)
		for i in 1 2 3; do
			for _ in $(seq 200); do grep -q "waiting for the organizer" "$T/dkg.$i" && break; sleep 0.05; done
			grep -q "waiting for the organizer" "$T/dkg.$i" || fail "trustee $i never waited for the organizer: $(cat "$T/dkg.$i")"
		done
		run "$cmd"
		for p in "${dkg[@]}"; do wait "$p" || fail "a trustee's dkg failed"; done ;;
	*"trustee decrypt"*)
		for i in 1 2; do run "${cmd//--index 1 --key t1/--index $i --key t$i}"; done ;;
	*) run "$cmd" ;;
	esac
done <"$T/steps"
grep -q "waiting for the commitments of trustee" "$T"/dkg.* || fail "no trustee said whom it waited for: $(cat "$T"/dkg.*)"
grep -q "server clock: 2027-07-01T10:00:00 Europe/Moscow" "$T/out" || fail "urna clock set: $(grep 'server clock' "$T/out")"
grep -q "verified: every check holds" "$T/out" || fail "the walkthrough did not end verified: $(tail -5 "$T/out")"
grep -q "^ON THE BOARD: the ballot is entry" "$T/out" || fail "the voter's receipt did not check out: $(tail -5 "$T/out")"
grep -q "ballots cast 1, counted after re-voting 1" "$T/out" || fail "results: $(tail -20 "$T/out")"
grep -q "next: any 2 trustees run" "$T/out" || fail "tally did not name the threshold: $(grep next: "$T/out")"
echo "readme_by_hand: ok"
