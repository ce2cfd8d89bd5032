#!/usr/bin/env bash
# The organizer's commands against a real server: referendum create, list,
# show, schedule (a postponement before opening; after opening only
# extensions), the schedule entries on the board, and `urna export --db`
# giving the same board.jsonl as the server's record (docs/api.md).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
start_server

clock "$(msk '2026-05-20 12:00')"
cat >"$T/spec.json" <<'JSON'
{"id":"s-ref","title":{"en":"Schedule test","ru":"Проверка расписания"},"timezone":"Europe/Moscow",
 "opens_at":"2026-06-01T00:00","closes_at":"2026-06-15T23:59","announce_at":"2026-06-30T12:00",
 "trustees":{"n":1,"t":1},
 "regions":[{"id":"voronezh","name":{"en":"Voronezh","ru":"Воронеж"},
   "questions":[{"text":{"en":"A second port?","ru":"Второй порт?"},"choices":[{"en":"Yes","ru":"Да"},{"en":"No","ru":"Нет"}],"min":1,"max":1}]}]}
JSON
"$URNA" referendum create "$T/spec.json" "${A[@]}" || fail "create"
"$URNA" referendum list --server "$S" | grep -q "^s-ref .*draft" || fail "list"
"$URNA" referendum schedule s-ref --opens 2026-07-01T00:00 --closes 2026-07-15T23:59 --announce 2026-07-31T12:00 \
	--reason "Postponed: the roll is checked again" "${A[@]}" || fail "postpone"
"$URNA" referendum show s-ref --server "$S" | tee "$T/show.txt"
grep -q "opens 2026-07-01T00:00, closes 2026-07-15T23:59, results 2026-07-31T12:00" "$T/show.txt" || fail "show times"
grep -q "region voronezh" "$T/show.txt" || fail "show regions"
if "$URNA" referendum schedule s-ref "${A[@]}" 2>/dev/null; then fail "schedule without --reason accepted"; fi

"$URNA" trustee keygen --index 1 --out "$T/t1.key" >/dev/null
"$URNA" trustee dkg --index 1 --key "$T/t1.key" --no-wait "${A[@]}" >/dev/null || fail "dkg (t = n, no shares)"
"$URNA" referendum key s-ref "${A[@]}" >/dev/null || fail "key"
"$URNA" trustee dkg --index 1 --key "$T/t1.key" "${A[@]}" >/dev/null || fail "dkg finish"
"$URNA" credentials generate --referendum s-ref --region voronezh --count 2 --out "$T/c" >/dev/null
"$URNA" credentials upload --referendum s-ref --region voronezh "$T/c/voronezh.public.json" "${A[@]}" >/dev/null || fail "upload"

# Opened: shortening is refused (exit 1), extending is an entry on the board.
clock "$(msk '2026-07-02 10:00')"
set +e
"$URNA" referendum schedule s-ref --closes 2026-07-10T23:59 --reason "shorter" "${A[@]}" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 1 ] || fail "shortening after opening: exit $rc ($(cat "$T/err"))"
# 23:59 means until 23:59:59 (s.10's grace): 23:59:01 would end the vote 58 s
# earlier, so it is a shortening too; 23:59:59 ends it at the same second.
set +e
"$URNA" referendum schedule s-ref --closes 2026-07-15T23:59:01 --reason "seconds" "${A[@]}" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 1 ] && grep -q "may only extend" "$T/err" || fail "23:59 -> 23:59:01 after opening: exit $rc ($(cat "$T/err"))"
"$URNA" referendum schedule s-ref --closes 2026-07-20T23:59 --announce 2026-08-05T12:00 --reason "Extended after a storm" "${A[@]}" || fail "extend"
"$URNA" referendum list --server "$S" | grep -q "s-ref .*open" || fail "status open"
"$URNA" vote --referendum s-ref --region voronezh --credential "$(head -n 1 "$T/c/voronezh.private")" --choice 1 --server "$S" >/dev/null || fail "vote"
# once the window in force has ended, no extension reopens it
clock "$(msk '2026-07-21 00:00:30')"
set +e
"$URNA" referendum schedule s-ref --closes 2026-07-25T23:59 --reason "reopen" "${A[@]}" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 1 ] && grep -q "window ended" "$T/err" || fail "extension after the window ended: exit $rc ($(cat "$T/err"))"
"$URNA" export --referendum s-ref --out "$T/rec" --server "$S" >/dev/null || fail "export"
[ "$(grep -c '"kind":"schedule"' "$T/rec/board.jsonl")" -eq 2 ] || fail "two schedule entries expected"
"$URNA" verify "$T/rec" >/dev/null || fail "the record with its schedule changes does not verify"
"$URNA" export --referendum s-ref --db "$T/urna.db" --out "$T/rec-db" || fail "export --db"
board_extends "$T/rec/board.jsonl" "$T/rec-db/board.jsonl" || fail "export --db differs from the server's board"
if "$URNA" export --referendum nosuch --db "$T/urna.db" --out "$T/none" 2>/dev/null; then fail "export of an unknown referendum"; fi
echo "cli_schedule: ok"
