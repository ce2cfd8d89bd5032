/* verdict.c: the server's runs of the record layer's verifier (verdict.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/buf.h"
#include "crypto/encoding.h"
#include "record/board.h"
#include "record/verifier.h"
#include "server/http.h"
#include "server/state.h"
#include "server/verdict.h"

#define VERDICT_VERIFIER "urna verify (record layer, run by the server)"

struct verdict_runner {
	struct server *srv;
	pthread_t thread;
	pthread_mutex_t mu;   /* guards pending */
	pthread_cond_t cv;
	int pending;          /* a request came since the runner last looked */
	int stop;             /* set once, read atomically (also by the verifier) */
	int threads;          /* the verifier's worker threads */
};

static const char *const status_name[] = {
	[VERDICT_NONE] = "none",
	[VERDICT_RUNNING] = "running",
	[VERDICT_VERIFIED] = "verified",
	[VERDICT_FAILED] = "failed",
};

static int stopping(struct verdict_runner *vr)
{
	return __atomic_load_n(&vr->stop, __ATOMIC_RELAXED);
}

/* ---- one run ---- */

/* The board as the store has it, as board.jsonl text. */
struct board_copy {
	buf text;                  /* at most VERIFY_BOARD_MAX bytes */
	size_t last_off, last_len; /* the last line read */
	uint64_t last_seq, lines;
	const int *stop;
	urna_err *e;
};

static int copy_line(void *arg, const struct store_line *l)
{
	struct board_copy *b = arg;

	if (__atomic_load_n(b->stop, __ATOMIC_RELAXED))
		return err_set(b->e, URNA_E_IO, "the server is stopping");
	if (buf_reserve(&b->text, l->len + 1) != 0) {
		if (buf_full(&b->text, l->len + 1))
			return err_set(b->e, URNA_E_TOO_LARGE, "the board is over %zu bytes", VERIFY_BOARD_MAX);
		return err_set(b->e, URNA_E_IO, "out of memory for a copy of the board");
	}
	b->last_off = b->text.len;
	b->last_len = l->len;
	b->last_seq = l->seq;
	b->lines++;
	buf_add(&b->text, l->line, l->len); /* room reserved: cannot fail */
	buf_addc(&b->text, '\n');
	return 0;
}

static uint64_t ballots_of(const election *el)
{
	uint64_t n = 0;
	region_info ri;
	for (size_t i = 0; i < election_nregions(el); i++)
		if (election_region(el, i, &ri) == 0)
			n += ri.cast;
	return n;
}

/* Reads board id from the store (committed lines only) and verifies it
 * with every check of `urna verify`. Fills v; -1 (v not a verdict) when
 * the runner was stopped. */
static int run_one(struct verdict_runner *vr, const char *id, struct verdict *v)
{
	struct server *srv = vr->srv;
	struct board_copy b = {.text = BUF_INIT(VERIFY_BOARD_MAX), .stop = &vr->stop, .e = &v->err};
	verify_opts o = {.threads = vr->threads};
	election *el = NULL;
	int rc = 0;

	memset(v, 0, sizeof *v);
	if (srv->ops->scan(srv->st, id, 0, 0, copy_line, &b, &v->err) == 0 &&
	    verify_board_until(b.text.p, b.text.len, &o, &vr->stop, &el, &v->err) == 0) {
		v->status = VERDICT_VERIFIED;
		v->ballots = ballots_of(el);
	} else if (stopping(vr)) {
		rc = -1;
	} else {
		v->status = VERDICT_FAILED;
		if (v->err.has_seq)
			v->fault_kind = verify_kind_at(b.text.p, b.text.len, v->err.seq);
	}
	if (b.lines) {
		v->has_head = 1;
		v->seq = b.last_seq;
		line_hash(v->head, b.text.p + b.last_off, b.last_len);
	}
	v->checked_at = srv->clock->now(srv->clock);
	election_free(el);
	buf_free(&b.text);
	return rc;
}

static void log_verdict(const char *id, const struct verdict *v)
{
	if (v->status == VERDICT_VERIFIED)
		fprintf(stderr, "urna: %s: urna verify over the stored board (to line %llu): verified, %llu ballots\n", id,
		        (unsigned long long)v->seq, (unsigned long long)v->ballots);
	else if (v->err.has_seq)
		fprintf(stderr, "urna: %s: urna verify over the stored board FAILED: entry %llu (%s): %s: %s\n", id,
		        (unsigned long long)v->err.seq, v->fault_kind, err_name(v->err.code), v->err.msg);
	else
		fprintf(stderr, "urna: %s: urna verify over the stored board FAILED: %s: %s\n", id, err_name(v->err.code),
		        v->err.msg);
}

/* Runs r's verification if it was asked for, and keeps the verdict. */
static void serve_one(struct verdict_runner *vr, struct referendum *r)
{
	struct verdict v;

	pthread_mutex_lock(&r->lock);
	int wanted = r->verdict.wanted;
	r->verdict.wanted = 0;
	pthread_mutex_unlock(&r->lock);
	if (!wanted || run_one(vr, r->id, &v) != 0)
		return;
	log_verdict(r->id, &v);
	pthread_mutex_lock(&r->lock);
	v.wanted = r->verdict.wanted;
	if (v.wanted)
		v.status = VERDICT_RUNNING; /* asked again meanwhile: the next run says */
	r->verdict = v;
	pthread_mutex_unlock(&r->lock);
}

/* ---- the runner ---- */

/* One pass over the registry. Referendums are never removed, so r stays
 * valid after the registry's lock is released. */
static void serve_all(struct verdict_runner *vr)
{
	struct registry *reg = vr->srv->reg;
	for (size_t i = 0; !stopping(vr); i++) {
		pthread_rwlock_rdlock(&reg->lock);
		struct referendum *r = i < reg->n ? reg->refs[i] : NULL;
		pthread_rwlock_unlock(&reg->lock);
		if (!r)
			break;
		serve_one(vr, r);
	}
}

static void *runner_main(void *arg)
{
	struct verdict_runner *vr = arg;

	pthread_mutex_lock(&vr->mu);
	while (!stopping(vr)) {
		if (!vr->pending) {
			pthread_cond_wait(&vr->cv, &vr->mu);
			continue;
		}
		vr->pending = 0;
		pthread_mutex_unlock(&vr->mu);
		serve_all(vr);
		pthread_mutex_lock(&vr->mu);
	}
	pthread_mutex_unlock(&vr->mu);
	return NULL;
}

struct verdict_runner *verdict_runner_start(struct server *srv)
{
	struct verdict_runner *vr = calloc(1, sizeof *vr);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (!vr)
		return NULL;
	vr->srv = srv;
	/* Half the cores at most: the other referendums' intake goes on. */
	vr->threads = cpus >= 4 ? (int)(cpus / 2 > 8 ? 8 : cpus / 2) : 1;
	pthread_mutex_init(&vr->mu, NULL);
	pthread_cond_init(&vr->cv, NULL);
	if (pthread_create(&vr->thread, NULL, runner_main, vr) != 0) {
		pthread_mutex_destroy(&vr->mu);
		pthread_cond_destroy(&vr->cv);
		free(vr);
		return NULL;
	}
	return vr;
}

void verdict_runner_stop(struct verdict_runner *vr)
{
	if (!vr)
		return;
	pthread_mutex_lock(&vr->mu);
	__atomic_store_n(&vr->stop, 1, __ATOMIC_RELAXED);
	pthread_cond_signal(&vr->cv);
	pthread_mutex_unlock(&vr->mu);
	pthread_join(vr->thread, NULL);
	pthread_mutex_destroy(&vr->mu);
	pthread_cond_destroy(&vr->cv);
	free(vr);
}

void verdict_request(struct verdict_runner *vr, struct referendum *r)
{
	r->verdict.status = VERDICT_RUNNING;
	r->verdict.wanted = 1;
	pthread_mutex_lock(&vr->mu);
	vr->pending = 1;
	pthread_cond_signal(&vr->cv);
	pthread_mutex_unlock(&vr->mu);
}

void verdict_request_published(struct verdict_runner *vr, struct registry *reg)
{
	pthread_rwlock_rdlock(&reg->lock);
	for (size_t i = 0; i < reg->n; i++) {
		struct referendum *r = reg->refs[i];
		pthread_mutex_lock(&r->lock);
		/* "published" is the board's fact (every region's result entry):
		 * the time does not enter it. */
		if (!strcmp(election_status(r->el, 0), "published"))
			verdict_request(vr, r);
		pthread_mutex_unlock(&r->lock);
	}
	pthread_rwlock_unlock(&reg->lock);
}

/* ---- the answer ---- */

json_t *verdict_json(const struct verdict *v)
{
	int done = v->status == VERDICT_VERIFIED || v->status == VERDICT_FAILED;
	int head = done && v->has_head;
	char h[URNA_B64_32];

	b64url_encode(h, v->head, 32);
	json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "status", status_name[v->status], "verifier",
	                      VERDICT_VERIFIER, "seq", head ? json_integer((json_int_t)v->seq) : json_null(), "head",
	                      head ? json_string(h) : json_null(), "ballots",
	                      v->status == VERDICT_VERIFIED ? json_integer((json_int_t)v->ballots) : json_null(),
	                      "checked_at", done ? json_integer((json_int_t)v->checked_at) : json_null());
	if (o && v->status == VERDICT_FAILED) {
		json_t *msg = json_string(v->err.msg); /* NULL if a quoted byte is not UTF-8 */
		json_object_set_new(o, "error", json_string(err_name(v->err.code)));
		json_object_set_new(o, "message", msg ? msg : json_string(err_name(v->err.code)));
		json_object_set_new(o, "fault", v->err.has_seq ? json_pack("{s:I, s:s}", "seq", (json_int_t)v->err.seq, "kind",
		                                                           v->fault_kind ? v->fault_kind : "unknown")
		                                               : json_null());
	}
	return o;
}
