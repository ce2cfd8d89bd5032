/* crypto.c: `urna bench crypto`: the crypto core on a yes/no ballot (one
 * question, two choices, min = max = 1) built from the binary structs of
 * proof.h. Reports medians over reps runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include "bench/bench.h"
#include "crypto/batch.h"
#include "crypto/hash.h"
#include "crypto/proof.h"
#include "crypto/threshold.h"

/* ---- a yes/no ballot in binary form ---- */

typedef struct {
	uint8_t X[32];
	urna_ct ct[2];
	urna_range pf[2]; /* each choice in 0..1 */
	urna_range sum;   /* the question's sum in 1..1 */
	urna_schnorr sig;
} yn_ballot;

/* Stand-in for hash32 of the unsigned ballot's bytes. */
static void yn_msg(uint8_t msg[32], const yn_ballot *b)
{
	hash32(msg, b, offsetof(yn_ballot, sig));
}

static uint8_t h_R[32]; /* the referendum of every bench ballot (set by bench_crypto) */

static void yn_bind(urna_bind *bd, const uint8_t h_E[32], const uint8_t K[32], const uint8_t X[32])
{
	memcpy(bd->h_R, h_R, 32);
	memcpy(bd->h_E, h_E, 32);
	memcpy(bd->K, K, 32);
	memcpy(bd->X, X, 32);
}

static int yn_encrypt(yn_ballot *b, const uint8_t h_E[32], const uint8_t K[32],
                      const uint8_t x[32], const uint8_t X[32], int yes)
{
	uint8_t r[2][32], R[32], msg[32];
	urna_ct sum;
	urna_bind bd;
	int rc = -1;
	memcpy(b->X, X, 32);
	yn_bind(&bd, h_E, K, X);
	for (uint32_t k = 0; k < 2; k++) {
		uint32_t v = (uint32_t)(yes ? k == 0 : k == 1);
		if (elgamal_encrypt(&b->ct[k], r[k], K, v) || range_prove(&b->pf[k], &bd, 0, k, &b->ct[k], r[k], v, 0, 1))
			goto out;
	}
	scalar_add(R, r[0], r[1]);
	if (ct_add(&sum, &b->ct[0], &b->ct[1]) || range_prove(&b->sum, &bd, 0, URNA_SUM_CHOICE, &sum, R, 1, 1, 1))
		goto out;
	yn_msg(msg, b);
	rc = sig_sign(&b->sig, &bd, msg, x);
out:
	sodium_memzero(r, sizeof r);
	sodium_memzero(R, sizeof R);
	return rc;
}

static int yn_batch_add(urna_batch *bt, uint64_t item, const yn_ballot *b, const uint8_t h_E[32],
                        const uint8_t K[32])
{
	uint8_t msg[32];
	urna_bind bd;
	int rc = 0;
	yn_bind(&bd, h_E, K, b->X);
	for (uint32_t k = 0; k < 2; k++)
		rc |= range_batch_add(bt, item, &b->pf[k], &bd, 0, k, &b->ct[k], 0, 1);
	rc |= range_batch_add_sum(bt, item, &b->sum, &bd, 0, b->ct, 2, 1, 1);
	yn_msg(msg, b);
	rc |= sig_batch_add(bt, item, &b->sig, &bd, msg);
	return rc;
}

/* ---- measurement ---- */

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void bench_cpu_model(char *out, size_t cap)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];
	snprintf(out, cap, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		char *colon = strchr(line, ':');
		if (!strncmp(line, "model name", 10) && colon) {
			colon++;
			while (*colon == ' ')
				colon++;
			colon[strcspn(colon, "\n")] = '\0';
			snprintf(out, cap, "%s", colon);
			break;
		}
	}
	fclose(f);
}

#define NBALLOTS 64       /* distinct ballots; the batch repeats them */
#define BATCH 10000
#define MSM_POINTS 100000

struct results {
	double encrypt_ballot_us, verify_ballot_us, verify_ballot_batched_us, msm_point_us;
	double tally_add_us, tally_add_decode_us, dlog_1e7_ms, dlog_table_ms, dlog_find_ms;
	double point_decode_us; /* the floor under every verification: ~16 per ballot */
};

/* One batch of BATCH ballots (the distinct ones repeated under new ids:
 * the work per item is the same). */
static int verify_batch(urna_batch *bt, const yn_ballot *ballots, const uint8_t h_E[32], const uint8_t K[32])
{
	uint64_t bad[4];
	size_t nbad;
	batch_clear(bt);
	for (int i = 0; i < BATCH; i++)
		if (yn_batch_add(bt, (uint64_t)i, &ballots[i % NBALLOTS], h_E, K))
			return -1;
	return batch_verify(bt, bad, 4, &nbad);
}

static int run_once(struct results *res, urna_batch *bt, const yn_ballot *ballots, const uint8_t h_E[32],
                    const uint8_t K[32], const uint8_t x[32], const uint8_t X[32],
                    uint8_t (*msm_s)[32], const vt_point **msm_p, vt_point *acc)
{
	uint64_t bad[4];
	size_t nbad;
	yn_ballot tmp;
	double t0;

	t0 = now_us();
	for (int i = 0; i < 16; i++)
		if (yn_encrypt(&tmp, h_E, K, x, X, i & 1))
			return -1;
	res->encrypt_ballot_us = (now_us() - t0) / 16;

	/* One ballot on its own: a batch of one (what a server does at intake). */
	urna_batch *one = batch_new(K);
	if (!one)
		return -1;
	t0 = now_us();
	for (int i = 0; i < 4 * NBALLOTS; i++) {
		batch_clear(one);
		if (yn_batch_add(one, 0, &ballots[i % NBALLOTS], h_E, K) || batch_verify(one, bad, 4, &nbad)) {
			batch_free(one);
			return -1;
		}
	}
	res->verify_ballot_us = (now_us() - t0) / (4 * NBALLOTS);
	batch_free(one);

	/* A verifier thread reuses its batch from one chunk to the next. */
	t0 = now_us();
	if (verify_batch(bt, ballots, h_E, K))
		return -1;
	res->verify_ballot_batched_us = (now_us() - t0) / BATCH;

	t0 = now_us();
	msm(acc, (const uint8_t (*)[32])msm_s, msm_p, MSM_POINTS);
	res->msm_point_us = (now_us() - t0) / MSM_POINTS;

	/* Tally: A = sum alpha, B = sum beta over decoded ciphertexts, and the
	 * same from the encodings. */
	vt_point *pa = malloc(vt_point_size() * 4);
	if (!pa)
		return -1;
	vt_point *A = pa, *B = (vt_point *)((char *)pa + vt_point_size());
	vt_point *ca = (vt_point *)((char *)pa + 2 * vt_point_size());
	vt_point *cb = (vt_point *)((char *)pa + 3 * vt_point_size());
	if (vt_decode(A, ballots[0].ct[0].alpha) || vt_decode(B, ballots[0].ct[0].beta) ||
	    vt_decode(ca, ballots[1].ct[0].alpha) || vt_decode(cb, ballots[1].ct[0].beta)) {
		free(pa);
		return -1;
	}
	t0 = now_us();
	for (int i = 0; i < 100000; i++) {
		vt_add(A, A, ca);
		vt_add(B, B, cb);
	}
	res->tally_add_us = (now_us() - t0) / 100000;
	t0 = now_us();
	for (int i = 0; i < 2000; i++) {
		const urna_ct *c = &ballots[i % NBALLOTS].ct[0];
		if (vt_decode(ca, c->alpha) || vt_decode(cb, c->beta))
			break;
		vt_add(A, A, ca);
		vt_add(B, B, cb);
	}
	res->tally_add_decode_us = (now_us() - t0) / 2000;
	t0 = now_us();
	for (int i = 0; i < 4000; i++)
		if (vt_decode(ca, ballots[i % NBALLOTS].pf[0].br[0].A))
			break;
	res->point_decode_us = (now_us() - t0) / 4000;
	free(pa);

	uint8_t M[32];
	uint64_t count;
	if (point_small_base(M, 9999999))
		return -1;
	t0 = now_us();
	urna_dlog *d = dlog_new(10000000);
	if (!d)
		return -1;
	double t1 = now_us();
	int rc = dlog_find(d, &count, M);
	double t2 = now_us();
	dlog_free(d);
	if (rc || count != 9999999)
		return -1;
	res->dlog_1e7_ms = (t2 - t0) / 1000;
	res->dlog_table_ms = (t1 - t0) / 1000;
	res->dlog_find_ms = (t2 - t1) / 1000;
	return 0;
}

int bench_crypto(unsigned reps, int json, urna_err *e)
{
	int rc = -1;

	uint8_t h_E[32], k[32], K[32], x[32], X[32];
	hash32(h_E, "bench region", 12);
	hash32(h_R, "bench referendum", 16);
	scalar_random(k);
	if (point_base_mul(K, k) || credential_keys(x, X, "bench", "region", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"))
		return err_set(e, URNA_E_IO, "a measurement failed");
	yn_ballot *ballots = malloc(sizeof *ballots * NBALLOTS);
	uint8_t (*msm_s)[32] = malloc(32 * (size_t)MSM_POINTS);
	const vt_point **msm_p = malloc(sizeof *msm_p * MSM_POINTS);
	char *pts = malloc(vt_point_size() * 1025);
	struct results *r = calloc(reps, sizeof *r);
	double *col = malloc(sizeof *col * reps);
	urna_batch *bt = NULL;
	if (!ballots || !msm_s || !msm_p || !pts || !r || !col)
		goto out;
	for (int i = 0; i < NBALLOTS; i++)
		if (yn_encrypt(&ballots[i], h_E, K, x, X, i & 1))
			goto out;
	for (int i = 0; i < 1024; i++) {
		uint8_t s[32], P[32];
		scalar_random(s);
		if (point_base_mul(P, s) || vt_decode((vt_point *)(pts + i * vt_point_size()), P))
			goto out;
	}
	for (int i = 0; i < MSM_POINTS; i++) {
		scalar_random(msm_s[i]);
		msm_p[i] = (const vt_point *)(pts + (i % 1024) * vt_point_size());
	}
	bt = batch_new(K);
	if (!bt || verify_batch(bt, ballots, h_E, K)) /* warm-up: the batch's memory */
		goto out;
	for (unsigned i = 0; i < reps; i++)
		if (run_once(&r[i], bt, ballots, h_E, K, x, X, msm_s, msm_p, (vt_point *)(pts + 1024 * vt_point_size())))
			goto out;

	static const struct { const char *name; size_t off; int prec; } fields[] = {
		{"encrypt_ballot_us", offsetof(struct results, encrypt_ballot_us), 1},
		{"verify_ballot_us", offsetof(struct results, verify_ballot_us), 1},
		{"verify_ballot_batched_us", offsetof(struct results, verify_ballot_batched_us), 1},
		{"msm_point_us", offsetof(struct results, msm_point_us), 3},
		{"tally_add_us", offsetof(struct results, tally_add_us), 3},
		{"tally_add_decode_us", offsetof(struct results, tally_add_decode_us), 2},
		{"dlog_1e7_ms", offsetof(struct results, dlog_1e7_ms), 1},
		{"dlog_table_ms", offsetof(struct results, dlog_table_ms), 1},
		{"dlog_find_ms", offsetof(struct results, dlog_find_ms), 1},
		{"point_decode_us", offsetof(struct results, point_decode_us), 2},
	};
	char cpu[256];
	bench_cpu_model(cpu, sizeof cpu);
	long nproc = sysconf(_SC_NPROCESSORS_ONLN);
	if (json) {
		json_t *o = json_object(), *m = json_object();
		json_object_set_new(m, "cpu", json_string(cpu));
		json_object_set_new(m, "nproc", json_integer(nproc));
		json_object_set_new(o, "machine", m);
		json_object_set_new(o, "repetitions", json_integer((json_int_t)reps));
		json_object_set_new(o, "ballot", json_string("yes/no: 1 question, 2 choices, min=max=1, signed"));
		json_object_set_new(o, "batch_ballots", json_integer(BATCH));
		json_object_set_new(o, "msm_points", json_integer(MSM_POINTS));
		for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
			for (unsigned i = 0; i < reps; i++)
				col[i] = *(double *)((char *)&r[i] + fields[f].off);
			double med = median(col, (int)reps), p = fields[f].prec == 3 ? 1000 : fields[f].prec == 2 ? 100 : 10;
			json_object_set_new(o, fields[f].name, json_real((double)(long long)(med * p + 0.5) / p));
		}
		char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
		if (s)
			puts(s);
		free(s);
		json_decref(o);
	} else {
		printf("crypto core on %s (%ld cpus), median of %u runs, one thread\n", cpu, nproc, reps);
		for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
			for (unsigned i = 0; i < reps; i++)
				col[i] = *(double *)((char *)&r[i] + fields[f].off);
			printf("  %-28s %12.*f\n", fields[f].name, fields[f].prec, median(col, (int)reps));
		}
	}
	rc = 0;
out:
	if (rc != 0)
		err_set(e, URNA_E_IO, "a measurement failed");
	batch_free(bt);
	free(ballots);
	free(msm_s);
	free(msm_p);
	free(pts);
	free(r);
	free(col);
	return rc;
}
