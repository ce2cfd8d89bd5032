#!/usr/bin/env bash
# cli_help.sh: every subcommand answers --help and `urna help CMD` with its
# usage on stdout and exit 0; an unknown option exits 2 with the problem and
# the usage on stderr; `urna help` lists every command, and its summary
# line of each names that command's subcommands (protocol 2: keygen is a
# command of its own, trustee keygen is gone, credentials and trustee have
# check). No server needed.
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
grep -qx "keygen" <<<"$cmds" || fail "urna help does not list keygen: $cmds"
# subcommands take it too, and a --help after other arguments
"$URNA" trustee dkg --key t1.key --help | grep -q "^usage: urna trustee dkg" || fail "trustee dkg --help"
"$URNA" trustee check --help | grep -q "^       urna trustee check \[--referendum ID\] --key KEYFILE" || fail "trustee check --help"
"$URNA" credentials check --help | grep -q "^       urna credentials check --key KEYFILE" || fail "credentials check --help"
"$URNA" keygen --role trustee --help | grep -q "^usage: urna keygen --role organizer|authority|trustee|server --name NAME --out KEYFILE" ||
	fail "keygen --help"
"$URNA" keygen --help | grep -q "^urna keygen --show KEYFILE\|^       urna keygen --show KEYFILE" || fail "keygen --help names --show"
"$URNA" referendum schedule x --help | grep -q "^usage: urna referendum create" || fail "referendum schedule --help"
# the role commands name the key they sign with, and no token
for c in "referendum" "credentials" "trustee" "tally" "publish"; do
	"$URNA" help $c | grep -q -- "--key KEYFILE" || fail "urna help $c names no --key KEYFILE"
	! "$URNA" help $c | grep -q -- "--token-file" || fail "urna help $c still names --token-file"
done
"$URNA" help clock | grep -q -- "--token-file F" || fail "urna help clock: set takes the admin token"
# an unknown option of a subcommand
err=$("$URNA" credentials generate --bogus 2>&1); rc=$?
[ "$rc" = 2 ] && grep -q "urna credentials generate: unknown option '--bogus'" <<<"$err" && \
	grep -q "^usage: urna credentials generate" <<<"$err" || fail "credentials generate --bogus: $rc $err"
for sub in "credentials check" "credentials upload" "trustee check" "trustee dkg" "referendum key"; do
	# shellcheck disable=SC2086
	err=$("$URNA" $sub --bogus 2>&1); rc=$?
	[ "$rc" = 2 ] && grep -q "urna $sub: unknown option '--bogus'" <<<"$err" && grep -q "^usage: urna ${sub%% *}" <<<"$err" ||
		fail "$sub --bogus: $rc $err"
done
# a missing argument prints the usage too
err=$("$URNA" vote 2>&1); rc=$?
[ "$rc" = 2 ] && grep -q "^usage: urna vote" <<<"$err" || fail "vote without arguments: $rc $err"
# help of nothing known
"$URNA" help nosuch 2>/dev/null; [ $? = 2 ] || fail "urna help nosuch should exit 2"
"$URNA" nosuch --help 2>/dev/null; [ $? = 2 ] || fail "urna nosuch --help should exit 2"
# last: the summary of `urna help` names the subcommands there are, and no other
summary() { "$URNA" help | awk -v c="$1" '$1 == c {$1 = ""; print}'; }
for sub in generate upload check; do grep -qw "$sub" <<<"$(summary credentials)" || fail "urna help's credentials line lacks $sub: $(summary credentials)"; done
for sub in dkg decrypt check; do grep -qw "$sub" <<<"$(summary trustee)" || fail "urna help's trustee line lacks $sub: $(summary trustee)"; done
! grep -qw keygen <<<"$(summary trustee)" || fail "urna help's trustee line names keygen, which is gone: $(summary trustee)"
for sub in create schedule key list show; do grep -qw "$sub" <<<"$(summary referendum)" || fail "urna help's referendum line lacks $sub"; done
echo "cli_help: ok ($(wc -l <<<"$cmds") commands)"
