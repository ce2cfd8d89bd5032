/* verifier.c: the parallel replay of a board (verifier.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/buf.h"
#include "record/verifier.h"

enum { ST_FULL = 0, ST_FACTS = 1 };
#define WINDOW 6 /* chunks in flight ahead of the main thread */

typedef struct {
	const char *id;
	int present;
	manifest m;
	uint8_t h_E[32];
	uint64_t electorate; /* fixed before the first ballot: credentials come before the opening */
	uint32_t nct;
} snap_region;

typedef struct {
	size_t first, n;      /* lines first..first+n */
	uint8_t *status;
	ballot_facts *facts;
	size_t *ct_off;
	urna_ct *ct;
	size_t ct_n, ct_cap;
	tally_presum *sums;   /* NULL, or per region: its ballots that end ST_FACTS (presummed) */
	size_t nsums;
	int done;
} chunk;

typedef struct {
	const char *text;
	const size_t *off, *lens;
	size_t nlines, start, nchunks;
	chunk *chunks;
	snap_region *regions;
	size_t nregions;
	int has_key;
	uint8_t K[32];
	verify_stats *stats; /* NULL, or summed into under mu */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t next, consumed;   /* next chunk to take; chunks released by the main thread */
	int stop;
} pipeline;

static int ct_push(chunk *c, const urna_ct *ct, uint32_t n)
{
	if (array_grow(&c->ct, &c->ct_cap, c->ct_n + n, sizeof *c->ct, SIZE_MAX / sizeof *c->ct) != 0)
		return -1;
	memcpy(c->ct + c->ct_n, ct, n * sizeof *ct);
	c->ct_n += n;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The batch's indices of the points of ct[0..n), item's (just added), at
 * idx[at..at + 2n): alpha then beta of each. 0, or -1 when one is not
 * there (out of memory). */
static int capture(const urna_batch *bt, uint64_t item, const urna_ct *ct, uint32_t n, uint32_t **idx, size_t *cap,
                   size_t at)
{
	if (array_grow(idx, cap, at + 2 * (size_t)n, sizeof **idx, SIZE_MAX / sizeof **idx) != 0)
		return -1;
	for (uint32_t j = 0; j < n; j++) {
		long a = batch_point_find(bt, item, ct[j].alpha), b = batch_point_find(bt, item, ct[j].beta);
		if (a < 0 || b < 0)
			return -1;
		(*idx)[at + 2 * j] = (uint32_t)a;
		(*idx)[at + 2 * j + 1] = (uint32_t)b;
	}
	return 0;
}

/* Sums, per region, the ciphertexts of chunk c's ballots that end ST_FACTS
 * with their points captured (idx), from the batch's decodes: the tally
 * then decodes them no more. Every other ballot is left not presummed. */
static void presum_chunk(const pipeline *p, chunk *c, const urna_batch *bt, const uint32_t *idx)
{
	const vt_point *ab[2 * URNA_MAX_QUESTIONS * URNA_MAX_CHOICES];
	for (size_t k = 0; k < c->n; k++) {
		ballot_facts *f = &c->facts[k];
		int captured = c->status[k] == ST_FACTS && f->presummed;
		f->presummed = 0; /* until it is in a sum */
		if (!captured)
			continue;
		if (!c->sums) {
			if (!(c->sums = calloc(p->nregions, sizeof *c->sums)))
				continue;
			c->nsums = p->nregions;
		}
		tally_presum *s = &c->sums[f->presum_region];
		if (!s->p && tally_presum_init(s, f->nct))
			continue;
		for (uint32_t j = 0; j < 2 * f->nct; j++)
			ab[j] = batch_point_get(bt, idx[2 * c->ct_off[k] + j]);
		tally_presum_add(s, ab, f->line_hash);
		f->presummed = 1;
	}
}

/* Parses and queues the ballots of chunk c; lines that are not ballots or
 * that fail anything are left ST_FULL for the main thread to judge. Adds
 * its phases to *st when timed. */
static void work_chunk(pipeline *p, chunk *c, ballot *b, urna_batch *bt, verify_stats *st, int timed)
{
	uint64_t *bad = NULL;
	uint32_t *idx = NULL; /* the batch's points of c->ct, 2 a ciphertext */
	size_t nbad = 0, idx_cap = 0;
	double t0 = 0, t1 = 0;
	batch_clear(bt);
	for (size_t k = 0; k < c->n; k++) {
		size_t i = c->first + k;
		const char *line = p->text + p->off[i];
		rec_line l;
		ballot_facts *f = &c->facts[k];
		snap_region *g = NULL;
		urna_ct flat[URNA_MAX_QUESTIONS * URNA_MAX_CHOICES];
		uint32_t nf = 0;
		c->status[k] = ST_FULL;
		if (timed)
			t0 = now_s();
		if (!p->has_key || line_parse(&l, line, p->lens[i], NULL) || l.kind != KIND_BALLOT ||
		    ballot_parse(b, l.body, l.body_len, NULL))
			continue;
		for (size_t r = 0; r < p->nregions && !g; r++) /* the first, as the election finds it */
			if (p->regions[r].present && !strcmp(p->regions[r].id, b->region))
				g = &p->regions[r];
		if (!g || ballot_shape_ok(b, &g->m, g->electorate, NULL))
			continue;
		if (timed)
			t1 = now_s(), st->parse_s += t1 - t0, st->ballots++;
		if (ballot_batch_add(bt, i, b, g->h_E, p->K))
			continue;
		for (uint32_t q = 0; q < b->nq; q++)
			for (uint32_t ch = 0; ch < b->m[q]; ch++)
				flat[nf++] = b->ct[q][ch];
		c->ct_off[k] = c->ct_n;
		if (ct_push(c, flat, nf))
			continue;
		/* the points now, while this ballot's record is the batch's last */
		f->presummed = nf == g->nct && capture(bt, i, flat, nf, &idx, &idx_cap, 2 * c->ct_off[k]) == 0;
		f->presum_region = (uint32_t)(g - p->regions);
		line_hash(f->line_hash, line, p->lens[i]);
		if (timed)
			st->hash_s += now_s() - t1; /* decodes taken out below */
		memcpy(f->X, b->X, 32);
		memcpy(f->tracker, b->tracker, 32);
		strcpy(f->referendum, b->referendum);
		strcpy(f->region, b->region);
		f->nct = nf;
		c->status[k] = ST_FACTS;
	}
	if (timed) {
		uint64_t ns, nd;
		batch_timing(bt, 1, &ns, &nd);
		st->decode_s += (double)ns / 1e9, st->hash_s -= (double)ns / 1e9, st->decodes += nd;
	}
	if (batch_items(bt) == 0)
		goto out;
	if (!(bad = malloc(c->n * sizeof *bad)))
		goto all_full;
	if (timed)
		t0 = now_s();
	int failed = batch_verify(bt, bad, c->n, &nbad) != 0;
	if (timed)
		st->msm_s += now_s() - t0;
	if (failed) {
		if (nbad == 0)
			goto all_full;
		for (size_t k = 0; k < nbad && k < c->n; k++)
			if (bad[k] >= c->first && bad[k] < c->first + c->n)
				c->status[bad[k] - c->first] = ST_FULL; /* the main thread names the fault */
	}
	presum_chunk(p, c, bt, idx);
	goto out;
all_full:
	memset(c->status, ST_FULL, c->n);
out:
	free(bad);
	free(idx);
}

static void *worker(void *arg)
{
	pipeline *p = arg;
	ballot *b = ballot_new();
	urna_batch *bt = batch_new(p->has_key ? p->K : NULL);
	verify_stats st = {0};
	int timed = p->stats != NULL;
	if (bt && timed)
		batch_timing(bt, 1, NULL, NULL);
	for (;;) {
		size_t ci;
		pthread_mutex_lock(&p->mu);
		while (!p->stop && p->next < p->nchunks && p->next >= p->consumed + WINDOW)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop || p->next >= p->nchunks) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		ci = p->next++;
		pthread_mutex_unlock(&p->mu);
		chunk *c = &p->chunks[ci];
		if (b && bt)
			work_chunk(p, c, b, bt, &st, timed);
		else
			memset(c->status, ST_FULL, c->n);
		pthread_mutex_lock(&p->mu);
		c->done = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	if (timed) {
		pthread_mutex_lock(&p->mu);
		p->stats->parse_s += st.parse_s, p->stats->hash_s += st.hash_s;
		p->stats->decode_s += st.decode_s, p->stats->msm_s += st.msm_s;
		p->stats->ballots += st.ballots, p->stats->decodes += st.decodes;
		pthread_mutex_unlock(&p->mu);
	}
	free(b);
	batch_free(bt);
	return NULL;
}

static void chunk_release(chunk *c)
{
	for (size_t r = 0; r < c->nsums; r++)
		tally_presum_free(&c->sums[r]);
	free(c->status), free(c->facts), free(c->ct_off), free(c->ct), free(c->sums);
	c->status = NULL, c->facts = NULL, c->ct_off = NULL, c->ct = NULL, c->sums = NULL;
	c->nsums = 0;
}

const char *verify_kind_at(const char *text, size_t len, uint64_t seq)
{
	const char *p = text, *end = text + len;
	rec_line l;
	for (uint64_t i = 0; i < seq && p < end; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	if (p >= end)
		return "missing";
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	if (line_parse(&l, p, nl ? (size_t)(nl - p) : (size_t)(end - p), NULL))
		return "unparseable";
	return kind_name(l.kind);
}

/* -1 with e set once the caller of verify_board_until asked to stop. */
static int stopped(const int *stop, urna_err *e)
{
	if (stop && __atomic_load_n(stop, __ATOMIC_RELAXED))
		return err_set(e, URNA_E_IO, "verification stopped before the end of the board");
	return 0;
}

int verify_board(const char *text, size_t len, const verify_opts *o, election **out, urna_err *e)
{
	return verify_board_until(text, len, o, NULL, out, e);
}

int verify_board_until(const char *text, size_t len, const verify_opts *o, const int *stop, election **out,
                       urna_err *e)
{
	pipeline p;
	election *el = election_new();
	size_t *off = NULL, *lens = NULL, n = 0, cap = 0, i = 0;
	pthread_t th[8];
	int nth = 0, rc = -1, threads = o && o->threads > 0 ? (o->threads > 8 ? 8 : o->threads) : 2;
	verify_stats *st = o ? o->stats : NULL;
	double t0 = now_s(), t1;

	memset(&p, 0, sizeof p);
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	*out = NULL;
	if (!el) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t l = nl ? (size_t)(nl - (text + at)) : len - at;
		size_t lcap = cap; /* both grow alike from the same capacity */
		if (array_grow(&off, &cap, n + 1, sizeof *off, SIZE_MAX / sizeof *off) != 0 ||
		    array_grow(&lens, &lcap, n + 1, sizeof *lens, SIZE_MAX / sizeof *lens) != 0) {
			err_set(e, URNA_E_IO, "out of memory");
			goto out;
		}
		off[n] = at;
		lens[n++] = l;
		at += l + 1;
	}
	if (n == 0) {
		err_set_seq(e, URNA_E_MALFORMED, 0, "the board is empty");
		goto out;
	}
	/* the ceremony, sequentially, up to the first ballot */
	for (; i < n; i++) {
		rec_line l;
		if (line_parse(&l, text + off[i], lens[i], NULL) == 0 && l.kind == KIND_BALLOT)
			break;
		if (stopped(stop, e) || election_apply(el, text + off[i], lens[i], APPLY_FULL, e))
			goto out;
	}
	if (st)
		memset(st, 0, sizeof *st), st->ceremony_s = now_s() - t0;
	if (i == n) {
		rc = 0;
		goto out;
	}
	/* a snapshot of what ballot checks read, then the workers */
	p.text = text, p.off = off, p.lens = lens, p.nlines = n, p.start = i;
	p.has_key = election_key(el, p.K) == 0;
	p.stats = st;
	p.nregions = election_nregions(el);
	if (!(p.regions = calloc(p.nregions ? p.nregions : 1, sizeof *p.regions))) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	for (size_t r = 0; r < p.nregions; r++) {
		region_info ri;
		election_region(el, r, &ri);
		p.regions[r].id = ri.id;
		p.regions[r].present = ri.present;
		if (ri.present) {
			p.regions[r].m = *ri.m;
			memcpy(p.regions[r].h_E, ri.h_E, 32);
			p.regions[r].electorate = ri.electorate;
			p.regions[r].nct = manifest_nct(ri.m);
		}
	}
	/* batches of VERIFY_CHUNK lines, smaller when that leaves a thread idle */
	size_t csize = (n - i) / (4 * (size_t)threads);
	csize = csize > VERIFY_CHUNK ? VERIFY_CHUNK : csize < 256 ? 256 : csize;
	p.nchunks = (n - i + csize - 1) / csize;
	if (!(p.chunks = calloc(p.nchunks, sizeof *p.chunks))) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	for (size_t c = 0; c < p.nchunks; c++) {
		chunk *ch = &p.chunks[c];
		ch->first = i + c * csize;
		ch->n = n - ch->first < csize ? n - ch->first : csize;
		if (!(ch->status = calloc(ch->n, 1)) || !(ch->facts = calloc(ch->n, sizeof *ch->facts)) ||
		    !(ch->ct_off = calloc(ch->n, sizeof *ch->ct_off))) {
			err_set(e, URNA_E_IO, "out of memory");
			goto out;
		}
	}
	for (; nth < threads; nth++)
		if (pthread_create(&th[nth], NULL, worker, &p))
			break;
	if (nth == 0) {
		err_set(e, URNA_E_IO, "cannot start a thread");
		goto out;
	}
	for (size_t c = 0; c < p.nchunks; c++) {
		chunk *ch = &p.chunks[c];
		if (stopped(stop, e))
			goto out;
		t1 = now_s();
		pthread_mutex_lock(&p.mu);
		while (!ch->done)
			pthread_cond_wait(&p.cv, &p.mu);
		pthread_mutex_unlock(&p.mu);
		if (st)
			t0 = now_s(), st->wait_s += t0 - t1;
		/* before the lines: a tally among them finds its ballots summed (the
		 * election uses the sums only once every ballot in them is applied) */
		for (size_t r = 0; r < ch->nsums; r++)
			if (ch->sums[r].p)
				(void)election_add_presum(el, r, &ch->sums[r]); /* refused: the tally decodes them */
		for (size_t k = 0; k < ch->n; k++) {
			size_t li = ch->first + k;
			int bad;
			if (ch->status[k] == ST_FACTS) {
				ch->facts[k].ct = ch->ct + ch->ct_off[k];
				bad = election_apply_facts(el, text + off[li], lens[li], &ch->facts[k], e);
			} else {
				if (st)
					t1 = now_s(), st->apply_s += t1 - t0;
				bad = election_apply(el, text + off[li], lens[li], APPLY_FULL, e);
				if (st)
					t0 = now_s(), st->apply_other_s += t0 - t1;
			}
			if (bad)
				goto out;
		}
		if (st)
			st->apply_s += now_s() - t0;
		chunk_release(ch);
		pthread_mutex_lock(&p.mu);
		p.consumed = c + 1;
		pthread_cond_broadcast(&p.cv);
		pthread_mutex_unlock(&p.mu);
		if (o && o->progress)
			fprintf(stderr, "\rverify: %zu of %zu lines", ch->first + ch->n, n);
	}
	if (o && o->progress)
		fprintf(stderr, "\n");
	rc = 0;
out:
	pthread_mutex_lock(&p.mu);
	p.stop = 1;
	pthread_cond_broadcast(&p.cv);
	pthread_mutex_unlock(&p.mu);
	for (int k = 0; k < nth; k++)
		pthread_join(th[k], NULL);
	for (size_t c = 0; p.chunks && c < p.nchunks; c++)
		chunk_release(&p.chunks[c]);
	free(p.chunks);
	free(p.regions);
	free(off);
	free(lens);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	if (rc == 0)
		*out = el;
	else
		election_free(el);
	return rc;
}
