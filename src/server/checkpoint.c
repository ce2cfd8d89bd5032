/* checkpoint.c: signed checkpoints of each board's head (docs/protocol.md
 * s.11, s.15). Every `--checkpoint-every` seconds, each board that grew
 * since its last checkpoint gets a `checkpoint` entry: {"seq","head",
 * "signature"}, the Ed25519 signature (server key, whose public half is the
 * referendum entry's server_key) over H("checkpoint", id, u32 seq, head). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "server/checkpoint.h"
#include "server/state.h"

/* Checkpoints r's durable head if it moved. Takes r->lock, not across the
 * commit. The body is the record layer's (checkpoint_make) and the
 * election checks it as it checks every line. */
static void checkpoint_one(struct server *srv, struct referendum *r)
{
	char *line = NULL, *body = NULL;
	struct store_job job = {0};
	struct store_line sl = {0};
	urna_err e = {0};
	json_t *b = NULL;
	size_t n;

	pthread_mutex_lock(&r->lock);
	uint64_t s = r->durable_seq;
	if (s == 0 || election_next_seq(r->el) != s || r->checkpointed == s)
		goto out; /* empty, lines in flight, or nothing since the last one */
	s--;
	if (!(b = checkpoint_make(r->id, s, r->durable_head, srv->server_sk)) || !(body = canon_encode(b, &n)))
		goto out;
	rec_sig by;
	ref_server_sig(r, srv->server_sk, KIND_CHECKPOINT, NULL, body, n, &by);
	if (ref_append(r, srv->writer, srv->clock->now(srv->clock), KIND_CHECKPOINT, NULL, &by, body, n, APPLY_FULL, NULL,
	               &job, &sl, &line, &e) != 0) {
		fprintf(stderr, "urna: %s: checkpoint refused: %s\n", r->id, e.msg);
		goto out;
	}
	uint8_t lh[32];
	election_head(r->el, lh);
	/* The commit is waited for without the lock: ballots go on meanwhile. */
	pthread_mutex_unlock(&r->lock);
	int rc = store_writer_wait(srv->writer, job.ticket, &e);
	pthread_mutex_lock(&r->lock);
	if (rc == 0) {
		ref_durable(r, sl.seq, lh);
		r->checkpointed = sl.seq + 1;
	} else {
		ref_resync(r, srv->writer);
	}
out:
	pthread_mutex_unlock(&r->lock);
	json_decref(b);
	free(line);
	free(body);
}

void checkpoint_all(struct server *srv)
{
	struct registry *reg = srv->reg;
	size_t n;

	pthread_rwlock_rdlock(&reg->lock);
	n = reg->n;
	pthread_rwlock_unlock(&reg->lock);
	for (size_t i = 0; i < n; i++) {
		pthread_rwlock_rdlock(&reg->lock);
		struct referendum *r = reg->refs[i];
		pthread_rwlock_unlock(&reg->lock);
		checkpoint_one(srv, r);
	}
}
