/* tally_sum.c: the threaded sum of counted ballots (tally_sum.h). */
#include <stdlib.h>
#include <string.h>
#include "base/parallel.h"
#include "record/tally_sum.h"

typedef struct {
	const urna_ct *ct;
	const uint8_t *counted;
	uint32_t nct;
	size_t from, to;
	vt_point *sum; /* 2 * nct points: alpha sums then beta sums */
	int rc;
} sum_job;

static vt_point *vt_at(vt_point *base, size_t i)
{
	return (vt_point *)((char *)base + i * vt_point_size());
}

static void *sum_run(void *arg)
{
	sum_job *j = arg;
	vt_point *p = malloc(vt_point_size());
	static const uint8_t zero[32];
	j->rc = -1;
	if (!p)
		return NULL;
	for (size_t i = 0; i < 2 * j->nct; i++)
		if (vt_decode(vt_at(j->sum, i), zero))
			goto out;
	for (size_t i = j->from; i < j->to; i++) {
		if (!j->counted[i])
			continue;
		for (uint32_t c = 0; c < j->nct; c++) {
			const urna_ct *ct = &j->ct[i * j->nct + c];
			if (vt_decode(p, ct->alpha))
				goto out;
			vt_add(vt_at(j->sum, c), vt_at(j->sum, c), p);
			if (vt_decode(p, ct->beta))
				goto out;
			vt_add(vt_at(j->sum, j->nct + c), vt_at(j->sum, j->nct + c), p);
		}
	}
	j->rc = 0;
out:
	free(p);
	return NULL;
}

int tally_sum(urna_ct *sum, const urna_ct *ct, const uint8_t *counted, size_t nb, uint32_t nct, int threads,
              urna_err *e)
{
	sum_job job[2];
	int rc = -1;
	memset(job, 0, sizeof job);
	threads = threads == 2 && nb >= 1000 ? 2 : 1;
	for (int k = 0; k < threads; k++) {
		job[k] = (sum_job){.ct = ct, .counted = counted, .nct = nct};
		job[k].from = nb * (size_t)k / (size_t)threads;
		job[k].to = nb * (size_t)(k + 1) / (size_t)threads;
		if (!(job[k].sum = malloc(2 * nct * vt_point_size()))) {
			err_set(e, URNA_E_IO, "out of memory");
			goto out;
		}
	}
	parallel_run(sum_run, job, sizeof job[0], threads);
	if (job[0].rc || (threads == 2 && job[1].rc)) {
		err_set(e, URNA_E_BAD_ENCODING, "a stored ciphertext does not decode");
		goto out;
	}
	for (uint32_t c = 0; c < nct; c++) {
		if (threads == 2) {
			vt_add(vt_at(job[0].sum, c), vt_at(job[0].sum, c), vt_at(job[1].sum, c));
			vt_add(vt_at(job[0].sum, nct + c), vt_at(job[0].sum, nct + c), vt_at(job[1].sum, nct + c));
		}
		vt_encode(sum[c].alpha, vt_at(job[0].sum, c));
		vt_encode(sum[c].beta, vt_at(job[0].sum, nct + c));
	}
	rc = 0;
out:
	free(job[0].sum);
	free(job[1].sum);
	return rc;
}
