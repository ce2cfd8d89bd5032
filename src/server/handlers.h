/* handlers.h: the route handlers of docs/api.md, for routes.c's table, and
 * the few pieces they share (handlers.c). One file a kind of call: reads.c
 * (public reads), intake.c (ballots), board_stream.c (the board as ndjson),
 * admin.c (the admin calls, one skeleton). Private to src/server. */
#ifndef URNA_HANDLERS_H
#define URNA_HANDLERS_H
#include <stdint.h>
#include <jansson.h>
#include "server/http.h"
#include "server/state.h"

/* reads.c */
int list_referendums(struct request *rq);
int get_referendum(struct request *rq);
int get_manifest(struct request *rq);
int get_head(struct request *rq);
int get_tracker(struct request *rq);
int get_results(struct request *rq);
int get_verification(struct request *rq);
int get_record_results(struct request *rq);
int get_record_csv(struct request *rq);
int get_clock(struct request *rq);
int get_server(struct request *rq);
/* intake.c */
int post_ballot(struct request *rq);
/* board_stream.c */
int get_board(struct request *rq);
int get_record_board(struct request *rq);
/* admin.c */
int create_referendum(struct request *rq);
int post_entry(struct request *rq);
/* What post_entry adds after an entry, for every referendum: each tally
 * after the close, each result after the publish entry, when one is not on
 * the board yet (a write that failed). At start and on the checkpoint tick. */
void server_duties_all(struct server *srv);
int post_clock(struct request *rq);

/* ---- shared (handlers.c) ---- */

/* The referendum of the URL's {id}, or NULL with not_found answered. */
struct referendum *find_ref(struct request *rq);
/* The server clock. */
int64_t server_now(struct request *rq);
/* The time of a line appended to r now (ref_time; locked): decisions use it. */
int64_t line_now(struct request *rq, const struct referendum *r);

/* Region id of r's election (locked): its index, or -1 with e not_found
 * when absent or without its manifest. find_region answers e itself. */
int region_of(struct referendum *r, const char *id, region_info *ri, urna_err *e);
int find_region(struct request *rq, struct referendum *r, const char *id, region_info *ri);

/* The schedule in force and the referendum's zone ("" before seq 0). Locked. */
struct sched { rtime opens, closes, announce; };
struct sched ref_sched(const struct referendum *r);
const char *ref_zone(const struct referendum *r);

/* New JSON values (NULL when out of memory): base64url of 32 bytes; the
 * head {"seq","hash"} of lines 0..next-1 (nulls for none); r's summary
 * (locked), full adding trustees, key, head and turnout. */
json_t *b64_json(const uint8_t b[32]);
json_t *head_json(uint64_t next, const uint8_t h[32]);
json_t *ref_json(struct referendum *r, int64_t t, int full);

/* The request body as JSON (request_json): 0, or -1 with the error answered. */
int parse_body(struct request *rq, json_t **body);

#endif
