#!/usr/bin/env bash
# cli_help.sh: every subcommand answers --help and `urna help CMD` with its
# usage on stdout and exit 0; an unknown option exits 2 with the problem and
# the usage on stderr; `urna help` lists every command. No server needed.
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/integration/lib.sh

cmds=$("$URNA" help | awk '/^commands:/ {on = 1; next} on && NF {print $1}')
[ "$(wc -l <<<"$cmds")" -ge 14 ] || fail "urna help lists too few commands: $cmds"
for c in $cmds; do
	out=$("$URNA" "$c" --help) || fail "urna $c --help exited $?"
	head -1 <<<"$out" | grep -q "^usage: urna $c" || fail "urna $c --help: no usage line: $(head -1 <<<"$out")"
	[ "$(wc -l <<<"$out")" -ge 3 ] || fail "urna $c --help: a usage of one line is not a usage"
	[ "$("$URNA" help "$c")" = "$out" ] || fail "urna help $c differs from urna $c --help"
	[ "$("$URNA" "$c" -h)" = "$out" ] || fail "urna $c -h differs"
	err=$("$URNA" "$c" --no-such-option 2>&1 >/dev/null); rc=$?
	[ "$rc" = 2 ] || fail "urna $c --no-such-option exited $rc, not 2"
	grep -q "^usage: urna $c" <<<"$err" || fail "urna $c --no-such-option printed no usage: $err"
done
# subcommands take it too, and a --help after other arguments
"$URNA" trustee dkg --index 1 --help | grep -q "^usage: urna trustee keygen" || fail "trustee dkg --help"
"$URNA" referendum schedule x --help | grep -q "^usage: urna referendum create" || fail "referendum schedule --help"
# an unknown option of a subcommand
err=$("$URNA" credentials generate --bogus 2>&1); rc=$?
[ "$rc" = 2 ] && grep -q "urna credentials generate: unknown option '--bogus'" <<<"$err" && \
	grep -q "^usage: urna credentials generate" <<<"$err" || fail "credentials generate --bogus: $rc $err"
# a missing argument prints the usage too
err=$("$URNA" vote 2>&1); rc=$?
[ "$rc" = 2 ] && grep -q "^usage: urna vote" <<<"$err" || fail "vote without arguments: $rc $err"
# help of nothing known
"$URNA" help nosuch 2>/dev/null; [ $? = 2 ] || fail "urna help nosuch should exit 2"
"$URNA" nosuch --help 2>/dev/null; [ $? = 2 ] || fail "urna nosuch --help should exit 2"
echo "cli_help: ok ($(wc -l <<<"$cmds") commands)"
