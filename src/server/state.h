/* state.h: the server's referendums. Each one's state IS a src/record
 * election (record/election.h), rebuilt from its board at startup with the
 * trusted replay; the rules of every entry live there, once, shared with
 * `urna verify`. What this module adds is the server's bookkeeping around
 * it: the lock, the writer tickets and the durable head, and the one way to
 * append to a board: build the line with the record layer, apply it to the
 * election (which refuses it with the verifier's error if it breaks a rule),
 * queue it to the writer. If a commit then fails, the election is rebuilt
 * from the store so it is never ahead of the board. Private to src/server. */
#ifndef URNA_STATE_H
#define URNA_STATE_H
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "record/board.h"
#include "record/election.h"
#include "record/error.h"
#include "store/store.h"
#include "store/writer.h"
#include "server/verdict.h"

#define ID_MAX URNA_ID_MAX

struct referendum {
	char id[ID_MAX];
	pthread_mutex_t lock;     /* guards everything below and el */
	election *el;             /* the board's state, every line applied */
	const struct store_ops *ops;
	struct store *st;
	uint64_t last_ticket;     /* writer ticket of the last line queued */
	uint64_t durable_seq;     /* lines 0..durable_seq-1 are on disk */
	uint8_t durable_head[32];
	uint64_t checkpointed;    /* seq + 1 of the last checkpoint entry, 0 for none */
	int broken;               /* a commit failed: el was rebuilt from the store, no more appends */
	struct verdict verdict;   /* the server's last `urna verify` of the stored board (verdict.h) */
};

struct registry {
	pthread_rwlock_t lock;    /* guards the array, not the referendums */
	struct referendum **refs;
	size_t n, cap;
};

/* Reads every board of the store and replays it into an election each
 * (APPLY_TRUSTED: chain, order and state, not proofs). NULL with e set
 * (the line at fault in e->seq) on failure. */
struct registry *registry_load(const struct store_ops *ops, struct store *st, urna_err *e);
void registry_free(struct registry *reg);
/* The referendum or NULL. The pointer stays valid until registry_free. */
struct referendum *registry_find(struct registry *reg, const char *id);
/* Adds r (created from its first lines) to the registry: conflict when the
 * id is taken. */
int registry_add(struct registry *reg, struct referendum *r, urna_err *e);
/* A referendum with an empty election over store st. NULL on failure. */
struct referendum *referendum_new(const char *id, const struct store_ops *ops, struct store *st);
void referendum_free(struct referendum *r);

/* The time a line appended now would carry: the clock, but never before the
 * last line (a test clock may be moved back; s.15: time never decreases).
 * Decisions about an append use it. Locked. */
int64_t ref_time(const struct referendum *r, int64_t now);

/* The server's signature of its own next entry on r's board (a tally,
 * result or checkpoint), with sk; r->lock held until it is appended. */
void ref_server_sig(struct referendum *r, const uint8_t sk[static 64], rec_kind kind, const char *region,
                    const char *body, size_t body_len, rec_sig *out);

/* Builds the board line for (kind, region, by, body) as the next line of r
 * (line_make), applies it to r->el in mode (the record layer's rules: on
 * refusal nothing is queued and e is the election's error) and queues it to
 * w. For a ballot verified outside the lock, pass its facts f (mode is then
 * unused). Call with r->lock held. On success returns 0 with the job
 * submitted (wait on job->ticket, or its done callback) and *line
 * (malloc'd, owned by the caller until the job is done). If the writer
 * refuses the job the election is resynced from the store. */
int ref_append(struct referendum *r, struct store_writer *w, int64_t now, rec_kind kind,
               const char *region, const rec_sig *by, const char *body, size_t body_len, apply_mode mode,
               const ballot_facts *f, struct store_job *job, struct store_line *sl, char **line,
               urna_err *e);

/* After a job failed: rebuilds r->el from the store (once: the writer takes
 * no more jobs after a failure) so the state is exactly the board. Locked. */
void ref_resync(struct referendum *r, struct store_writer *w);

/* Marks lines up to seq (with its line hash) durable. Locked. */
void ref_durable(struct referendum *r, uint64_t seq, const uint8_t hash[static 32]);

#endif
