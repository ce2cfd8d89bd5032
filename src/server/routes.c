/* routes.c: the HTTP API of docs/api.md in one table, the server's table
 * of contents: method, path, handler, access, body ceiling (0:
 * BODY_DEFAULT), help. server.c routes each request by it; the handlers
 * are in reads.c, intake.c, board_stream.c and admin.c (handlers.h). */
#include "server/handlers.h"

#define R "/api/referendums/{id}"
const struct route routes[] = {
	{"GET", "/api/referendums", list_referendums, ROUTE_PUBLIC, 0, "every referendum, summarised"},
	{"POST", "/api/referendums", create_referendum, ROUTE_ADMIN, 0, "create a referendum and its regions"},
	{"GET", R, get_referendum, ROUTE_PUBLIC, 0, "one referendum: schedule, status, head, turnout"},
	{"GET", R "/regions/{region}/manifest", get_manifest, ROUTE_PUBLIC, 0, "a region's manifest bytes"},
	{"POST", R "/regions/{region}/credentials", post_credentials, ROUTE_ADMIN, BODY_UPLOAD, "add public credentials"},
	{"POST", R "/regions/{region}/ballots", post_ballot, ROUTE_PUBLIC, BODY_BALLOT, "cast a ballot"},
	{"GET", R "/board", get_board, ROUTE_PUBLIC, 0, "board lines from ?from=SEQ, at most ?limit=N (ndjson)"},
	{"GET", R "/head", get_head, ROUTE_PUBLIC, 0, "seq and hash of the last durable line"},
	{"GET", R "/trackers/{tracker}", get_tracker, ROUTE_PUBLIC, 0, "where a ballot is on the board"},
	{"GET", R "/results", get_results, ROUTE_PUBLIC, 0, "results.json once published, with the verdict"},
	{"GET", R "/verification", get_verification, ROUTE_PUBLIC, 0, "the server's urna verify of the published board"},
	{"GET", R "/record/board.jsonl", get_record_board, ROUTE_PUBLIC, 0, "the record: the board"},
	{"GET", R "/record/results.json", get_record_results, ROUTE_PUBLIC, 0, "the record: results.json"},
	{"GET", R "/record/results.csv", get_record_csv, ROUTE_PUBLIC, 0, "the record: results as CSV"},
	{"POST", R "/trustees", post_trustee, ROUTE_ADMIN, BODY_UPLOAD, "a trustee entry (commit, shares, complaint)"},
	{"POST", R "/key", post_key, ROUTE_ADMIN, 0, "end the key ceremony: the key entry"},
	{"POST", R "/schedule", post_schedule, ROUTE_ADMIN, 0, "change the schedule (extensions only once open)"},
	{"POST", R "/tally", post_tally, ROUTE_ADMIN, 0, "close and tally every region"},
	{"POST", R "/decryptions", post_decryption, ROUTE_ADMIN, BODY_UPLOAD, "a trustee's partial decryption"},
	{"POST", R "/publish", post_publish, ROUTE_ADMIN, 0, "the result entries, at announce_at"},
	{"GET", "/api/clock", get_clock, ROUTE_PUBLIC, 0, "the server's clock, and whether it is a test clock"},
	{"POST", "/api/clock", post_clock, ROUTE_TEST, 0, "set the test clock (--test-clock only)"},
	{NULL, NULL, NULL, 0, 0, NULL},
};
#undef R
