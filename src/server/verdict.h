/* verdict.h: the server's own run of `urna verify` over each published
 * board (docs/api.md, "The verifier's verdict"). Once a referendum's
 * results are on its board, one background thread reads the board back
 * from the store (what is durable, not the election in memory) and replays
 * it with the record layer's verifier (record/verifier.h), the code `urna
 * verify` runs; the verdict is kept in the referendum, under its lock, for
 * GET /verification and the results page. Runs are one at a time, never
 * under a referendum's lock, so intake and the other requests go on; a
 * run in progress is abandoned when the server stops. Private to
 * src/server. */
#ifndef URNA_VERDICT_H
#define URNA_VERDICT_H
#include <stdint.h>
#include <jansson.h>
#include "record/error.h"

struct server;
struct registry;
struct referendum;

enum verdict_status { VERDICT_NONE = 0, VERDICT_RUNNING, VERDICT_VERIFIED, VERDICT_FAILED };

/* A referendum's verdict (struct referendum, guarded by its lock). The
 * figures describe the board the last finished run read: its last line
 * (seq, head) may be older than the board's head when lines (a checkpoint)
 * came after. */
struct verdict {
	enum verdict_status status; /* RUNNING from the request to the end of the run */
	int wanted;                 /* asked for, not yet taken by the runner */
	uint64_t seq;               /* last line read */
	uint8_t head[32];           /* its hash32 */
	int has_head;               /* the run read at least one line */
	uint64_t ballots;           /* ballots on the board verified (VERIFIED) */
	int64_t checked_at;         /* server clock at the end of the run */
	urna_err err;               /* FAILED: the reason, err.seq the entry at fault */
	const char *fault_kind;     /* its kind (verify_kind_at), NULL without one */
};

struct verdict_runner;

/* Starts the runner thread for srv (its store, registry and clock). NULL
 * when the thread cannot start. */
struct verdict_runner *verdict_runner_start(struct server *srv);
/* Abandons a run in progress, joins the thread and frees. NULL: no-op.
 * Call once no request handler can run (no more verdict_request). */
void verdict_runner_stop(struct verdict_runner *vr);

/* Asks for a run over r's board as it is now; r's verdict is RUNNING until
 * it ends. Call with r->lock held. */
void verdict_request(struct verdict_runner *vr, struct referendum *r);
/* verdict_request for every referendum whose board has its results (at
 * startup). Takes the registry's and each referendum's lock. */
void verdict_request_published(struct verdict_runner *vr, struct registry *reg);

/* {"status","seq","head","ballots","checked_at","verifier"} plus, when
 * FAILED, "error", "message" and "fault" ({"seq","kind"} or null). seq,
 * head, ballots and checked_at are null while RUNNING. Call locked. */
json_t *verdict_json(const struct verdict *v);

#endif
