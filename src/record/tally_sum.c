/* tally_sum.c: the threaded sum of counted ballots (tally_sum.h). */
#include <stdlib.h>
#include <string.h>
#include "base/parallel.h"
#include "record/tally_sum.h"

typedef struct {
	const urna_ct *ct;
	const uint8_t *counted;
	const uint8_t *pre; /* NULL, or the ballots already in a presum */
	uint32_t nct;
	size_t from, to;
	vt_point *sum; /* 2 * nct points: alpha sums then beta sums */
	vt_point *sub; /* NULL, or the same of the ballots in pre no longer counted */
	int rc;
} sum_job;

static vt_point *vt_at(vt_point *base, size_t i)
{
	return (vt_point *)((char *)base + i * vt_point_size());
}

static const vt_point *vt_at_c(const vt_point *base, size_t i)
{
	return (const vt_point *)((const char *)base + i * vt_point_size());
}

static int vt_identity(vt_point *p, size_t n)
{
	static const uint8_t zero[32];
	for (size_t i = 0; i < n; i++)
		if (vt_decode(vt_at(p, i), zero))
			return -1;
	return 0;
}

static void *sum_run(void *arg)
{
	sum_job *j = arg;
	vt_point *p = malloc(vt_point_size());
	j->rc = -1;
	if (!p)
		return NULL;
	if (vt_identity(j->sum, 2 * j->nct) || (j->sub && vt_identity(j->sub, 2 * j->nct)))
		goto out;
	for (size_t i = j->from; i < j->to; i++) {
		/* without pre: the counted; with it, only where counted and pre
		 * differ: a counted ballot the presum lacks, or one it holds that a
		 * re-vote replaced */
		if (!j->counted[i] == !(j->pre && j->pre[i]))
			continue;
		vt_point *to = j->counted[i] ? j->sum : j->sub;
		for (uint32_t c = 0; c < j->nct; c++) {
			const urna_ct *ct = &j->ct[i * j->nct + c];
			if (vt_decode(p, ct->alpha))
				goto out;
			vt_add(vt_at(to, c), vt_at(to, c), p);
			if (vt_decode(p, ct->beta))
				goto out;
			vt_add(vt_at(to, j->nct + c), vt_at(to, j->nct + c), p);
		}
	}
	j->rc = 0;
out:
	free(p);
	return NULL;
}

/* The sums of ballots 0..nb on threads (1 or 2) into job[0], with .sub
 * when presum (pre may be NULL then: no ballot in the presum). 0, or -1
 * with e. The caller frees job[k].sum and .sub. */
static int sums(sum_job job[2], const urna_ct *ct, const uint8_t *counted, const uint8_t *pre, int presum, size_t nb,
                uint32_t nct, int threads, urna_err *e)
{
	memset(job, 0, 2 * sizeof *job);
	threads = threads == 2 && nb >= 1000 ? 2 : 1;
	for (int k = 0; k < threads; k++) {
		job[k] = (sum_job){.ct = ct, .counted = counted, .pre = pre, .nct = nct};
		job[k].from = nb * (size_t)k / (size_t)threads;
		job[k].to = nb * (size_t)(k + 1) / (size_t)threads;
		if (!(job[k].sum = malloc(2 * nct * vt_point_size())) ||
		    (presum && !(job[k].sub = malloc(2 * nct * vt_point_size()))))
			return err_set(e, URNA_E_IO, "out of memory");
	}
	parallel_run(sum_run, job, sizeof job[0], threads);
	if (job[0].rc || (threads == 2 && job[1].rc))
		return err_set(e, URNA_E_BAD_ENCODING, "a stored ciphertext does not decode");
	for (size_t i = 0; threads == 2 && i < 2 * nct; i++) {
		vt_add(vt_at(job[0].sum, i), vt_at(job[0].sum, i), vt_at(job[1].sum, i));
		if (presum)
			vt_add(vt_at(job[0].sub, i), vt_at(job[0].sub, i), vt_at(job[1].sub, i));
	}
	return 0;
}

int tally_sum(urna_ct *sum, const urna_ct *ct, const uint8_t *counted, size_t nb, uint32_t nct, int threads,
              urna_err *e)
{
	sum_job job[2];
	int rc = -1;
	if (sums(job, ct, counted, NULL, 0, nb, nct, threads, e))
		goto out;
	for (uint32_t c = 0; c < nct; c++) {
		vt_encode(sum[c].alpha, vt_at(job[0].sum, c));
		vt_encode(sum[c].beta, vt_at(job[0].sum, nct + c));
	}
	rc = 0;
out:
	free(job[0].sum);
	free(job[1].sum);
	return rc;
}

/* ---- sums made elsewhere ---- */

void tally_tag_add(tally_tag *t, const uint8_t line_hash[static 32])
{
	for (int k = 0; k < 4; k++) {
		uint64_t w;
		memcpy(&w, line_hash + 8 * k, 8);
		t->h[k] += w;
	}
	t->n++;
}

int tally_tag_eq(const tally_tag *a, const tally_tag *b)
{
	return a->n == b->n && !memcmp(a->h, b->h, sizeof a->h);
}

int tally_presum_init(tally_presum *s, uint32_t nct)
{
	memset(s, 0, sizeof *s);
	if (!nct || !(s->p = malloc(2 * (size_t)nct * vt_point_size())) || vt_identity(s->p, 2 * nct)) {
		free(s->p);
		s->p = NULL;
		return -1;
	}
	s->nct = nct;
	return 0;
}

void tally_presum_free(tally_presum *s)
{
	free(s->p);
	memset(s, 0, sizeof *s);
}

void tally_presum_add(tally_presum *s, const vt_point *const *ab, const uint8_t line_hash[static 32])
{
	for (uint32_t c = 0; c < s->nct; c++) {
		vt_add(vt_at(s->p, c), vt_at(s->p, c), ab[2 * c]);
		vt_add(vt_at(s->p, s->nct + c), vt_at(s->p, s->nct + c), ab[2 * c + 1]);
	}
	tally_tag_add(&s->tag, line_hash);
}

int tally_presum_merge(tally_presum *to, const tally_presum *from)
{
	if (to->nct != from->nct || !to->p || !from->p)
		return -1;
	for (size_t i = 0; i < 2 * (size_t)to->nct; i++)
		vt_add(vt_at(to->p, i), vt_at(to->p, i), vt_at_c(from->p, i));
	to->tag.n += from->tag.n;
	for (int k = 0; k < 4; k++)
		to->tag.h[k] += from->tag.h[k];
	return 0;
}

int tally_sum_presum(urna_ct *sum, const tally_presum *s, const urna_ct *ct, const uint8_t *counted,
                     const uint8_t *pre, size_t nb, uint32_t nct, int threads, urna_err *e)
{
	sum_job job[2];
	uint8_t add[32], sub[32];
	int rc = -1;
	if (sums(job, ct, counted, pre, 1, nb, nct, threads, e))
		goto out;
	for (uint32_t c = 0; c < nct; c++)
		for (int half = 0; half < 2; half++) {
			size_t i = half * (size_t)nct + c;
			vt_add(vt_at(job[0].sum, i), vt_at(job[0].sum, i), vt_at_c(s->p, i));
			vt_encode(add, vt_at(job[0].sum, i));
			vt_encode(sub, vt_at(job[0].sub, i));
			if (point_sub(half ? sum[c].beta : sum[c].alpha, add, sub)) { /* group.h has no vt_sub */
				err_set(e, URNA_E_BAD_ENCODING, "a sum of ciphertexts does not encode");
				goto out;
			}
		}
	rc = 0;
out:
	free(job[0].sum);
	free(job[1].sum);
	free(job[0].sub);
	free(job[1].sub);
	return rc;
}
