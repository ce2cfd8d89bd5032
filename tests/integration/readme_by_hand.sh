#!/usr/bin/env bash
# The README's "A referendum by hand" runs as written: its commands are taken
# from README.md (the indented lines of that section, in order) and run
# against a real server, with the test clock moved at the "# from opens_at",
# "# after closes_at" and "# from announce_at" lines. The lines that a trustee
# runs (`--index 1`) run for each trustee the comments name: keygen and dkg
# for 1..3 (dkg in the background until the organizer's `referendum key`),
# decrypt for 1..2. A README that drifts from the CLI fails here.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROOT=$(pwd)
URNA_ABS=$(cd "$(dirname "$URNA")" && pwd)/$(basename "$URNA")
awk '/^## A referendum by hand/{on=1; next} /^## /{on=0} on && /^    /{sub(/^    /, ""); print}' README.md >"$T/steps"
[ "$(grep -c 'build/urna' "$T/steps")" -ge 12 ] || fail "the README's steps are not where this test looks: $(cat "$T/steps")"
spec=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["id"], s["opens_at"], s["closes_at"], s["announce_at"])' \
	docs/example-spec.json)
read -r ID OPENS CLOSES ANNOUNCE <<<"$spec"
at() { echo $(($(TZ=Europe/Moscow date -d "${1/T/ }" +%s) + $2)); } # LOCAL SECONDS
URNA=$URNA_ABS
cd "$T"
cp "$ROOT/docs/example-spec.json" "$T/example-spec.json"
dkg=()
while IFS= read -r line; do
	cmd=${line%%#*}                               # the command, without its comment
	cmd=${cmd//build\/urna/$URNA_ABS}
	cmd=${cmd//docs\/example-spec.json/example-spec.json}
	case "$line" in
	*"# from opens_at"*) clock "$(at "$OPENS" 3600)"; continue ;;
	*"# after closes_at"*) clock "$(at "$CLOSES" 3600)"; continue ;;
	*"# from announce_at"*) clock "$(at "$ANNOUNCE" 0)"; continue ;;
	"#"*) continue ;;
	"head -c"*) continue ;;                      # lib.sh made the token: $T/token
	*" serve "*)
		start_server
		export URNA_SERVER=$S
		clock "$(at "$OPENS" -864000)"
		continue ;;
	*"trustee keygen"*)
		for i in 1 2 3; do eval "${cmd//--index 1 --out t1/--index $i --out t$i}" >>"$T/out" || fail "$cmd ($i)"; done ;;
	*"trustee dkg"*)
		for i in 1 2 3; do eval "${cmd//--index 1 --key t1/--index $i --key t$i}" >>"$T/dkg.$i" 2>&1 & dkg+=($!); done
		sleep 1 ;;
	*"trustee decrypt"*)
		for i in 1 2; do eval "${cmd//--index 1 --key t1/--index $i --key t$i}" >>"$T/out" 2>&1 || fail "$cmd ($i): $(tail -3 "$T/out")"; done ;;
	*)
		eval "$cmd" >>"$T/out" 2>&1 || fail "$cmd: $(tail -5 "$T/out")"
		case "$cmd" in *"referendum key"*) for p in "${dkg[@]}"; do wait "$p" || fail "a trustee's dkg failed"; done ;; esac ;;
	esac
done <"$T/steps"
grep -q "verified: every check holds" "$T/out" || fail "the walkthrough did not end verified: $(tail -5 "$T/out")"
grep -q "ballots cast 1, counted after re-voting 1" "$T/out" || fail "results: $(tail -20 "$T/out")"
echo "readme_by_hand: ok"
