#!/usr/bin/env bash
# The organizer's commands against a real server, each signed with the
# organizer's key: referendum create, list, show (its roles and their
# fingerprints), schedule (a postponement before opening; after opening only
# extensions), the schedule entries on the board, and `urna export --db`
# giving the same board.jsonl as the server's record (docs/api.md).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
start_server

clock "$(msk '2026-05-20 12:00')"
make_spec "$T/spec.json" <<'JSON'
{"id":"s-ref","title":{"en":"Schedule test","ru":"Проверка расписания"},"timezone":"Europe/Moscow",
 "opens_at":"2026-06-01T00:00","closes_at":"2026-06-15T23:59","announce_at":"2026-06-30T12:00",
 "trustees":{"n":1,"t":1},
 "regions":[{"id":"voronezh","name":{"en":"Voronezh","ru":"Воронеж"},
   "questions":[{"text":{"en":"A second port?","ru":"Второй порт?"},"choices":[{"en":"Yes","ru":"Да"},{"en":"No","ru":"Нет"}],"min":1,"max":1}]}]}
JSON
"$URNA" referendum create "$T/spec.json" "${O[@]}" | tee "$T/create.txt" || fail "create"
# create names every role with its fingerprint, as urna keygen printed it
for k in organizer authority t1; do
	fp=$("$URNA" keygen --show "$T/$k.key" | sed -n 's/.*fingerprint: *//p')
	[ -n "$fp" ] && grep -qF -- "$fp" "$T/create.txt" || fail "create does not name $k's fingerprint $fp: $(cat "$T/create.txt")"
done
"$URNA" referendum list --server "$S" | grep -q "^s-ref .*draft" || fail "list"
"$URNA" referendum schedule s-ref --opens 2026-07-01T00:00 --closes 2026-07-15T23:59 --announce 2026-07-31T12:00 \
	--reason "Postponed: the roll is checked again" "${O[@]}" || fail "postpone"
"$URNA" referendum show s-ref --server "$S" | tee "$T/show.txt"
grep -q "opens 2026-07-01T00:00, closes 2026-07-15T23:59, results 2026-07-31T12:00" "$T/show.txt" || fail "show times"
grep -q "region voronezh" "$T/show.txt" || fail "show regions"
grep -Eq "^  organizer +$("$URNA" keygen --show "$T/organizer.key" | sed -n 's/.*fingerprint: *//p') " "$T/show.txt" || fail "show roles"
grep -Eq "^  authority-1 .*\(regions voronezh\)" "$T/show.txt" || fail "show the authority's regions"
if "$URNA" referendum schedule s-ref --closes 2026-07-16T23:59 "${O[@]}" 2>/dev/null; then fail "schedule without --reason accepted"; fi
# Only the organizer's key changes the schedule: a trustee's is refused
# by the CLI before anything is signed.
if "$URNA" referendum schedule s-ref --closes 2026-07-16T23:59 --reason x --key "$T/t1.key" --server "$S" 2>"$T/err"; then
	fail "schedule with a trustee's key"
fi
grep -q "is a trustee's key, this step is the organizer's" "$T/err" || fail "schedule with a trustee's key: $(cat "$T/err")"

# t = n: no shares. Without --referendum, the only one on the server.
"$URNA" trustee dkg --key "$T/t1.key" --no-wait "${A[@]}" >/dev/null || fail "dkg (t = n, no shares)"
"$URNA" referendum key s-ref "${O[@]}" >/dev/null || fail "key"
"$URNA" trustee dkg --key "$T/t1.key" "${A[@]}" >/dev/null || fail "dkg finish"
"$URNA" credentials generate --referendum s-ref --region voronezh --count 2 --out "$T/c" >/dev/null
"$URNA" credentials upload --referendum s-ref --region voronezh "$T/c/voronezh.public.json" "${AU[@]}" >/dev/null || fail "upload"
# Run again once final: nothing sent, exit 0 for this file, 1 for another.
"$URNA" credentials upload --referendum s-ref --region voronezh "$T/c/voronezh.public.json" "${AU[@]}" >"$T/out" ||
	fail "upload again"
grep -q "nothing to upload: the electorate of s-ref/voronezh is already final, 2 credentials" "$T/out" || fail "upload again: $(cat "$T/out")"
"$URNA" credentials generate --referendum s-ref --region voronezh --count 3 --out "$T/c3" >/dev/null
set +e
"$URNA" credentials upload --referendum s-ref --region voronezh "$T/c3/voronezh.public.json" "${AU[@]}" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 1 ] && grep -q "voronezh.*not this file's" "$T/err" || fail "another file after the electorate: exit $rc ($(cat "$T/err"))"

# Opened: shortening is refused (exit 1), extending is an entry on the board.
clock "$(msk '2026-07-02 10:00')"
set +e
"$URNA" referendum schedule s-ref --closes 2026-07-10T23:59 --reason "shorter" "${O[@]}" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 1 ] || fail "shortening after opening: exit $rc ($(cat "$T/err"))"
# 23:59 means until 23:59:59 (s.10's grace): 23:59:01 would end the vote 58 s
# earlier, so it is a shortening too; 23:59:59 ends it at the same second.
set +e
"$URNA" referendum schedule s-ref --closes 2026-07-15T23:59:01 --reason "seconds" "${O[@]}" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 1 ] && grep -q "may only extend" "$T/err" || fail "23:59 -> 23:59:01 after opening: exit $rc ($(cat "$T/err"))"
"$URNA" referendum schedule s-ref --closes 2026-07-20T23:59 --announce 2026-08-05T12:00 --reason "Extended after a storm" "${O[@]}" || fail "extend"
"$URNA" referendum list --server "$S" | grep -q "s-ref .*open" || fail "status open"
"$URNA" vote --referendum s-ref --region voronezh --credential "$(head -n 1 "$T/c/voronezh.private")" --choice 1 --server "$S" >/dev/null || fail "vote"
# once the window in force has ended, no extension reopens it
clock "$(msk '2026-07-21 00:00:30')"
set +e
"$URNA" referendum schedule s-ref --closes 2026-07-25T23:59 --reason "reopen" "${O[@]}" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 1 ] && grep -q "window ended" "$T/err" || fail "extension after the window ended: exit $rc ($(cat "$T/err"))"
"$URNA" export --referendum s-ref --out "$T/rec" --server "$S" >/dev/null || fail "export"
[ "$(grep -c '"kind":"schedule","by":"organizer"' "$T/rec/board.jsonl")" -eq 2 ] || fail "two schedule entries expected"
"$URNA" verify "$T/rec" >/dev/null || fail "the record with its schedule changes does not verify"
"$URNA" export --referendum s-ref --db "$T/urna.db" --out "$T/rec-db" || fail "export --db"
board_extends "$T/rec/board.jsonl" "$T/rec-db/board.jsonl" || fail "export --db differs from the server's board"
if "$URNA" export --referendum nosuch --db "$T/urna.db" --out "$T/none" 2>/dev/null; then fail "export of an unknown referendum"; fi
echo "cli_schedule: ok"
