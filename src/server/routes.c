/* routes.c: the HTTP API of docs/api.md in one table, the server's table
 * of contents: method, path, handler, access, body ceiling (0:
 * BODY_DEFAULT), help. server.c routes each request by it; the handlers
 * are in reads.c, intake.c, board_stream.c and admin.c (handlers.h). */
#include "server/handlers.h"

#define R "/api/referendums/{id}"
const struct route routes[] = {
	{"GET", "/api/referendums", list_referendums, ROUTE_PUBLIC, 0, "every referendum, summarised"},
	{"POST", "/api/referendums", create_referendum, ROUTE_PUBLIC, 0, "create a referendum: its entries, signed by the organizer"},
	{"GET", "/api/server", get_server, ROUTE_PUBLIC, 0, "the server's key, its fingerprint, the organizers it hosts"},
	{"GET", R, get_referendum, ROUTE_PUBLIC, 0, "one referendum: schedule, status, head, turnout"},
	{"GET", R "/regions/{region}/manifest", get_manifest, ROUTE_PUBLIC, 0, "a region's manifest bytes"},
	{"POST", R "/regions/{region}/ballots", post_ballot, ROUTE_PUBLIC, BODY_BALLOT, "cast a ballot"},
	{"GET", R "/board", get_board, ROUTE_PUBLIC, 0, "board lines from ?from=SEQ, at most ?limit=N (ndjson)"},
	{"GET", R "/head", get_head, ROUTE_PUBLIC, 0, "seq and hash of the last durable line"},
	{"GET", R "/trackers/{tracker}", get_tracker, ROUTE_PUBLIC, 0, "where a ballot is on the board"},
	{"GET", R "/results", get_results, ROUTE_PUBLIC, 0, "results.json once published, with the verdict"},
	{"GET", R "/verification", get_verification, ROUTE_PUBLIC, 0, "the server's urna verify of the published board"},
	{"GET", R "/record/board.jsonl", get_record_board, ROUTE_PUBLIC, 0, "the record: the board"},
	{"GET", R "/record/results.json", get_record_results, ROUTE_PUBLIC, 0, "the record: results.json"},
	{"GET", R "/record/results.csv", get_record_csv, ROUTE_PUBLIC, 0, "the record: results as CSV"},
	{"POST", R "/entries", post_entry, ROUTE_PUBLIC, BODY_UPLOAD, "a role's signed entry (s.15.1)"},
	{"GET", "/api/clock", get_clock, ROUTE_PUBLIC, 0, "the server's clock, and whether it is a test clock"},
	{"POST", "/api/clock", post_clock, ROUTE_TEST, 0, "set the test clock (--test-clock only)"},
	{NULL, NULL, NULL, 0, 0, NULL},
};
#undef R
