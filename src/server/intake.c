/* intake.c: POST .../regions/{region}/ballots (docs/architecture.md, "A
 * ballot's way in"). The 201 is sent only once the ballot's line is
 * committed: the request is suspended while the writer commits and
 * answered when it resumes it. Both the 201 and the 200 of a ballot
 * already on the board carry the server's signed receipt
 * (record/receipt.h, docs/protocol.md s.18), made only then. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crypto/encoding.h"
#include "record/receipt.h"
#include "server/handlers.h"

struct ballot_ctx {
	struct referendum *r;
	struct request *rq;
	struct store_job job;
	struct store_line sl;
	char *line;
	char trk[URNA_B64_32];
	uint8_t tracker[32], head[32];
	uint8_t h_R[32];          /* of the referendum entry: the receipt's */
	uint8_t line_hash[32];    /* hash32 of the ballot's line: the receipt's head */
	uint64_t seq;
	const char *body;         /* the request's ballot bytes */
	size_t len;
	int same;                 /* the line at seq holds exactly these bytes */
	urna_err err;
	int status;
	ballot_facts facts;
	urna_ct ct[URNA_MAX_QUESTIONS * URNA_MAX_CHOICES];
};

static void ballot_ctx_free(void *p)
{
	struct ballot_ctx *c = p;
	if (c)
		free(c->line);
	free(c);
}

/* The ballot at c->seq (its line hashing to c->line_hash, durable), with
 * the head of lines 0..head_next-1, c->head, and the receipt signed now. */
static int ballot_answer(struct request *rq, struct ballot_ctx *c, int status, uint64_t head_next)
{
	char text[URNA_TRACKER_TEXT];
	receipt rcpt;
	urna_err e = {0};
	if (receipt_sign(&rcpt, c->r->id, c->h_R, c->seq, c->tracker, c->line_hash, rq->srv->server_pk,
	                 rq->srv->server_sk, &e) != 0)
		return reply_err(rq, &e);
	tracker_text(text, c->tracker);
	return reply_json(rq, status, json_pack("{s:s, s:s, s:I, s:o, s:o}", "tracker", c->trk, "tracker_text", text,
	                                        "seq", (json_int_t)c->seq, "head", head_json(head_next, c->head),
	                                        "receipt", receipt_json(&rcpt)));
}

static void ballot_done(struct store_job *job, int status)
{
	struct ballot_ctx *c = job->arg;
	(void)status;
	request_resume(c->rq);
}

static void ballot_resume(struct request *rq)
{
	struct ballot_ctx *c = rq->ctx;
	if (c->status != 0 || c->job.status != 0) {
		if (c->status == 0) {
			pthread_mutex_lock(&c->r->lock);
			ref_resync(c->r, rq->srv->writer);
			pthread_mutex_unlock(&c->r->lock);
		}
		reply_err(rq, c->status != 0 ? &c->err : &c->job.err);
		return;
	}
	pthread_mutex_lock(&c->r->lock);
	ref_durable(c->r, c->seq, c->head);
	pthread_mutex_unlock(&c->r->lock);
	memcpy(c->line_hash, c->head, 32);
	ballot_answer(rq, c, 201, c->seq + 1); /* the head is the ballot's own line */
}

/* store_line_fn: hash32 of the one line scanned, into the context's
 * line_hash, and whether its body is the request's bytes. */
static int hash_line(void *arg, const struct store_line *l)
{
	struct ballot_ctx *c = arg;
	rec_line rl;
	if (l->seq != c->seq)
		return 1;
	line_hash(c->line_hash, l->line, l->len);
	c->same = line_parse(&rl, l->line, l->len, NULL) == 0 && rl.body_len == c->len && !memcmp(rl.body, c->body, c->len);
	return 2;
}

/* Answers 200 for bytes already on the board at seq (locked on entry,
 * unlocked on return), once that line is durable: every job queued so far
 * (tickets increase in chain order) covers it. A ballot whose tracker is
 * that line's but whose bytes differ (the same unsigned ballot signed
 * again: the tracker is the unsigned ballot's, s.14) is a conflict. */
static int ballot_again(struct request *rq, struct referendum *r, struct ballot_ctx *c, uint64_t seq)
{
	urna_err e = {0};
	uint64_t ticket = seq >= r->durable_seq ? r->last_ticket : 0, hs;

	c->seq = seq;
	election_h_R(r->el, c->h_R);
	pthread_mutex_unlock(&r->lock);
	if (ticket && store_writer_wait(rq->srv->writer, ticket, &e) != 0)
		return reply_err(rq, &e);
	pthread_mutex_lock(&r->lock);
	memcpy(c->head, r->durable_head, 32);
	hs = r->durable_seq;
	pthread_mutex_unlock(&r->lock);
	/* The receipt's head is the ballot's own line, read back from the store
	 * (a resubmission is rare; the election keeps no line hashes). */
	int found = r->ops->scan(r->st, r->id, seq, 1, hash_line, c, &e);
	if (found == -1)
		return reply_err(rq, &e);
	if (found != 2)
		return reply_errf(rq, URNA_E_IO, "ballot line %llu is not in the store", (unsigned long long)seq);
	if (!c->same)
		return reply_errf(rq, URNA_E_CONFLICT, "a ballot with this tracker is already on the board (entry %llu) with "
		                  "other bytes: the same unsigned ballot, signed again; vote again for a new ballot",
		                  (unsigned long long)seq);
	return ballot_answer(rq, c, 200, hs);
}

/* What the election's apply needs of a verified ballot (ballot_facts),
 * copied out of the thread's scratch ballot b. */
static void take_facts(struct ballot_ctx *c, const ballot *b)
{
	uint32_t k = 0;
	for (uint32_t q = 0; q < b->nq; q++)
		for (uint32_t ch = 0; ch < b->m[q]; ch++)
			c->ct[k++] = b->ct[q][ch];
	c->facts = (ballot_facts){.ct = c->ct, .nct = k};
	memcpy(c->facts.X, b->X, 32);
	memcpy(c->facts.tracker, b->tracker, 32);
	snprintf(c->facts.referendum, sizeof c->facts.referendum, "%s", b->referendum);
	snprintf(c->facts.region, sizeof c->facts.region, "%s", b->region);
}

/* Numbers, applies and queues the ballot's line (locked on entry, unlocked
 * on return) and suspends the request: ballot_resume answers once the
 * writer has committed it, or failed. */
static int ballot_queue(struct request *rq, struct referendum *r, struct ballot_ctx *c, const char *body, size_t len)
{
	request_suspend(rq);
	rq->resume = ballot_resume;
	c->job.done = ballot_done;
	c->job.arg = c;
	if (ref_append(r, rq->srv->writer, server_now(rq), KIND_BALLOT, c->facts.region, NULL, body, len, APPLY_FULL,
	               &c->facts, &c->job, &c->sl, &c->line, &c->err) != 0) {
		c->status = -1;
		pthread_mutex_unlock(&r->lock);
		request_resume(rq);
		return SUSPENDED;
	}
	c->seq = c->sl.seq;
	election_head(r->el, c->head);
	pthread_mutex_unlock(&r->lock);
	return SUSPENDED;
}

/* Ballot intake: parsed once outside any lock (the record layer's strict
 * reader); under the referendum's lock, an identical resubmission is
 * answered from the election's tracker index and a ballot the state would
 * refuse (window, list, binding) is refused before anything is verified;
 * then every proof and the signature in this request thread, in parallel
 * with the others and outside the lock; then under the lock again the
 * state half (election_ballot_admissible, through the election's apply of
 * the line's facts), the numbering and the queueing. The answer waits for
 * the commit with the connection suspended. */
int post_ballot(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	struct ballot_ctx *c;
	tracker_info ti;
	region_info ri;
	manifest m;
	uint8_t K[32], h_E[32];
	uint64_t electorate;
	urna_err e = {0};
	ballot *b = ballot_scratch();
	const char *body = rq->body.p ? rq->body.p : "";
	size_t len = rq->body.len;
	int gi;

	if (!r)
		return HANDLED;
	if (!(c = calloc(1, sizeof *c)) || !b) {
		free(c);
		return reply_errf(rq, URNA_E_IO, "out of memory");
	}
	rq->ctx = c;
	rq->ctx_free = ballot_ctx_free;
	c->r = r;
	c->rq = rq;
	c->body = body;
	c->len = len;

	pthread_mutex_lock(&r->lock);
	gi = find_region(rq, r, rq->param[1], &ri);
	pthread_mutex_unlock(&r->lock);
	if (gi < 0)
		return HANDLED;

	if (ballot_parse(b, body, len, &e) != 0)
		return reply_err(rq, &e);
	memcpy(c->tracker, b->tracker, 32); /* hash32 of the unsigned ballot, by the parse */
	b64url_encode(c->trk, c->tracker, 32);

	pthread_mutex_lock(&r->lock);
	if (election_tracker(r->el, c->tracker, &ti) == 0 && ti.region == (size_t)gi)
		return ballot_again(rq, r, c, ti.seq);
	if (election_ballot_admissible(r->el, rq->param[1], b, line_now(rq, r), &e) != 0 ||
	    election_key(r->el, K) != 0 || election_region(r->el, (size_t)gi, &ri) != 0) {
		pthread_mutex_unlock(&r->lock);
		return reply_err(rq, &e);
	}
	m = *ri.m; /* h_E, the manifest, K and h_R never change once set, nor the electorate once open */
	electorate = ri.electorate;
	memcpy(h_E, ri.h_E, 32);
	election_h_R(r->el, c->h_R);
	pthread_mutex_unlock(&r->lock);

	/* The expensive part. */
	if (ballot_shape_ok(b, &m, electorate, &e) != 0 || ballot_verify(b, h_E, K, &e) != 0)
		return reply_err(rq, &e);
	take_facts(c, b);

	pthread_mutex_lock(&r->lock);
	if (election_tracker(r->el, c->tracker, &ti) == 0)
		return ballot_again(rq, r, c, ti.seq); /* the same bytes, concurrently */
	return ballot_queue(rq, r, c, body, len);
}
