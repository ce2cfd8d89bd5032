/* state.c: the server's referendums over src/record elections (state.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "record/entry.h"
#include "server/state.h"

/* ---- referendums ---- */

struct referendum *referendum_new(const char *id, const struct store_ops *ops, struct store *st)
{
	struct referendum *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	if (!(r->el = election_new())) {
		free(r);
		return NULL;
	}
	snprintf(r->id, sizeof r->id, "%s", id);
	r->ops = ops;
	r->st = st;
	pthread_mutex_init(&r->lock, NULL);
	return r;
}

void referendum_free(struct referendum *r)
{
	if (!r)
		return;
	election_free(r->el);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

int64_t ref_time(const struct referendum *r, int64_t now)
{
	int64_t last = election_last_time(r->el);
	return now > last ? now : last;
}

void ref_durable(struct referendum *r, uint64_t seq, const uint8_t hash[static 32])
{
	if (seq + 1 > r->durable_seq) {
		r->durable_seq = seq + 1;
		memcpy(r->durable_head, hash, 32);
	}
}

/* ---- replay ---- */

struct load { struct referendum *r; election *el; urna_err *e; };

static int load_line(void *arg, const struct store_line *l)
{
	struct load *ld = arg;
	if (election_apply(ld->el, l->line, l->len, APPLY_TRUSTED, ld->e) != 0) {
		char m[sizeof ld->e->msg];
		snprintf(m, sizeof m, "%s", ld->e->msg);
		err_set_seq(ld->e, ld->e->code, l->seq, "%s: line %llu: %s", ld->r->id, (unsigned long long)l->seq, m);
		return -1;
	}
	if (!strcmp(l->kind, "checkpoint"))
		ld->r->checkpointed = l->seq + 1;
	return 0;
}

/* Replays r's stored board into a fresh election and makes it r's state. */
static int replay(struct referendum *r, urna_err *e)
{
	struct load ld = {r, election_new(), e};
	if (!ld.el)
		return err_set(e, URNA_E_IO, "out of memory");
	r->checkpointed = 0;
	if (r->ops->scan(r->st, r->id, 0, 0, load_line, &ld, e) != 0) {
		election_free(ld.el);
		return -1;
	}
	election_free(r->el);
	r->el = ld.el;
	r->durable_seq = election_next_seq(r->el);
	election_head(r->el, r->durable_head);
	return 0;
}

void ref_resync(struct referendum *r, struct store_writer *w)
{
	urna_err e = {0};
	if (r->broken)
		return;
	/* The writer fails the job at fault and every later one and refuses
	 * new ones: once what was queued is settled, the store is the board. */
	(void)store_writer_wait(w, r->last_ticket, &e);
	r->broken = 1; /* the writer takes no more lines: neither do we */
	if (replay(r, &e) != 0)
		fprintf(stderr, "urna: %s: cannot rebuild the state from the store: %s\n", r->id, e.msg);
	else
		fprintf(stderr, "urna: %s: a commit failed; state rebuilt from the store (%llu lines)\n", r->id,
		        (unsigned long long)r->durable_seq);
}

/* ---- appending ---- */

void ref_server_sig(struct referendum *r, const uint8_t sk[static 64], rec_kind kind, const char *region,
                    const char *body, size_t body_len, rec_sig *out)
{
	uint8_t h_R[32];
	election_h_R(r->el, h_R);
	author_name(out->by, ROLE_SERVER, 0);
	entry_sign(out, h_R, kind, region, (uint32_t)election_authored(r->el, out->by), body, body_len, sk);
}

int ref_append(struct referendum *r, struct store_writer *w, int64_t now, rec_kind kind,
               const char *region, const rec_sig *by, const char *body, size_t body_len, apply_mode mode,
               const ballot_facts *f, struct store_job *job, struct store_line *sl, char **line,
               urna_err *e)
{
	uint8_t prev[32];
	uint64_t seq = election_next_seq(r->el);
	size_t len = 0;
	int rc = -1;

	*line = NULL;
	if (r->broken) {
		err_set(e, URNA_E_IO, "a commit of %s failed: the server takes no more lines until restarted", r->id);
		goto out;
	}
	now = ref_time(r, now);
	election_head(r->el, prev);
	if (!(*line = line_make(&len, seq, prev, now, kind, region, by, body, body_len, e)))
		goto out;
	if (f) {
		ballot_facts g = *f;
		line_hash(g.line_hash, *line, len);
		rc = election_apply_facts(r->el, *line, len, &g, e);
	} else {
		rc = election_apply(r->el, *line, len, mode, e);
	}
	if (rc != 0) {
		e->has_seq = 0; /* the refused line is on no board */
		goto out;
	}
	rc = -1;
	*sl = (struct store_line){.referendum = r->id, .seq = seq, .kind = kind_name(kind),
	                          .line = *line, .len = len};
	job->lines = sl;
	job->n = 1;
	if (store_writer_submit(w, job) != 0) {
		*e = job->err;
		ref_resync(r, w); /* the election took a line the board did not */
		goto out;
	}
	r->last_ticket = job->ticket;
	rc = 0;
out:
	if (rc != 0) {
		free(*line);
		*line = NULL;
	}
	return rc;
}

/* ---- the registry ---- */

struct load_all { struct registry *reg; const struct store_ops *ops; struct store *st; urna_err *e; };

static int load_ref(void *arg, const char *id)
{
	struct load_all *la = arg;
	struct referendum *r = referendum_new(id, la->ops, la->st);
	if (!r)
		return err_set(la->e, URNA_E_IO, "out of memory");
	if (replay(r, la->e) != 0 || registry_add(la->reg, r, la->e) != 0) {
		referendum_free(r);
		return -1;
	}
	return 0;
}

struct registry *registry_load(const struct store_ops *ops, struct store *st, urna_err *e)
{
	struct registry *reg = calloc(1, sizeof *reg);
	struct load_all la = {reg, ops, st, e};

	if (!reg) {
		err_set(e, URNA_E_IO, "out of memory");
		return NULL;
	}
	pthread_rwlock_init(&reg->lock, NULL);
	if (ops->referendums(st, load_ref, &la, e) != 0) {
		registry_free(reg);
		return NULL;
	}
	return reg;
}

void registry_free(struct registry *reg)
{
	if (!reg)
		return;
	for (size_t i = 0; i < reg->n; i++)
		referendum_free(reg->refs[i]);
	free(reg->refs);
	pthread_rwlock_destroy(&reg->lock);
	free(reg);
}

struct referendum *registry_find(struct registry *reg, const char *id)
{
	struct referendum *r = NULL;
	pthread_rwlock_rdlock(&reg->lock);
	for (size_t i = 0; id && i < reg->n && !r; i++)
		if (!strcmp(reg->refs[i]->id, id))
			r = reg->refs[i];
	pthread_rwlock_unlock(&reg->lock);
	return r;
}

int registry_add(struct registry *reg, struct referendum *r, urna_err *e)
{
	int rc = -1;
	pthread_rwlock_wrlock(&reg->lock);
	for (size_t i = 0; i < reg->n; i++)
		if (!strcmp(reg->refs[i]->id, r->id)) {
			err_set(e, URNA_E_CONFLICT, "referendum %s already exists", r->id);
			goto out;
		}
	/* No ceiling but memory: every referendum of the store must load. */
	if (array_grow(&reg->refs, &reg->cap, reg->n + 1, sizeof *reg->refs, SIZE_MAX / sizeof *reg->refs) != 0) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	reg->refs[reg->n++] = r;
	rc = 0;
out:
	pthread_rwlock_unlock(&reg->lock);
	return rc;
}
