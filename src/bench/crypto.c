/* crypto.c: `urna bench crypto`: the crypto core on a yes/no/blank ballot
 * (one question, two choices, min = 0, max = 1: packed, s.6: one
 * ciphertext and a proof over 0, 1, M, then the signature: 10 points to
 * decode) built from the binary structs of proof.h, and beside it the same
 * question in the per-choice form (two ciphertexts with their 0/1 proofs
 * and a sum proof, 16 points: what a question with max > 1 still uses, and
 * protocol 2 before packing); the packed counts' recovery of a region of
 * 10^7 voters. Reports medians over reps runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include "bench/bench.h"
#include "crypto/batch.h"
#include "crypto/dlog2.h"
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

/* ---- the same question packed (s.6): one ciphertext of 0, 1 or M ---- */

#define PK_M 1024 /* the packing base of a region of up to 1023 voters */
static const uint64_t pk_vals[3] = {0, 1, PK_M};

typedef struct {
	uint8_t X[32];
	urna_ct ct;
	urna_range pf; /* over 0, 1, M */
	urna_schnorr sig;
} pk_ballot;

static void pk_msg(uint8_t msg[32], const pk_ballot *b)
{
	hash32(msg, b, offsetof(pk_ballot, sig));
}

/* v: 0 blank, 1 choice 1, 2 choice 2 (the index of its value). */
static int pk_encrypt(pk_ballot *b, const uint8_t h_E[32], const uint8_t K[32], const uint8_t x[32],
                      const uint8_t X[32], uint32_t v)
{
	uint8_t r[32], msg[32];
	urna_bind bd;
	int rc = -1;
	memcpy(b->X, X, 32);
	yn_bind(&bd, h_E, K, X);
	scalar_random(r);
	if (packed_encrypt(&b->ct, r, K, pk_vals, 3, v) || packed_prove(&b->pf, &bd, 0, &b->ct, r, pk_vals, 3, v, NULL))
		goto out;
	pk_msg(msg, b);
	rc = sig_sign(&b->sig, &bd, msg, x);
out:
	sodium_memzero(r, sizeof r);
	return rc;
}

static int pk_batch_add(urna_batch *bt, uint64_t item, const pk_ballot *b, const uint8_t h_E[32], const uint8_t K[32])
{
	uint8_t msg[32];
	urna_bind bd;
	yn_bind(&bd, h_E, K, b->X);
	pk_msg(msg, b);
	return packed_batch_add(bt, item, &b->pf, &bd, 0, &b->ct, pk_vals, 3) | sig_batch_add(bt, item, &b->sig, &bd, msg);
}

/* ---- measurement ---- */

double bench_point_decode_us(void)
{
	uint8_t enc[64][32], s[32];
	vt_point *P = malloc(vt_point_size());
	double us = 0;
	if (!P)
		return 0;
	for (int i = 0; i < 64; i++) {
		scalar_random(s);
		if (point_base_mul(enc[i], s))
			goto out;
	}
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 4000; i++)
		if (vt_decode(P, enc[i % 64]))
			goto out;
	clock_gettime(CLOCK_MONOTONIC, &b);
	us = ((double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_nsec - a.tv_nsec) / 1e3) / 4000;
out:
	free(P);
	return us;
}

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

double bench_median(double *v, int n)
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
	double encrypt_ballot_us, verify_ballot_us, verify_ballot_batched_us;
	double per_choice_encrypt_ballot_us, per_choice_verify_ballot_us, per_choice_verify_ballot_batched_us;
	double msm_point_us;
	double tally_add_us, tally_add_decode_us, dlog_1e7_ms, dlog_table_ms, dlog_find_ms;
	double packed_recover_1e7_ms, packed_recover_1e7_table_ms, packed_recover_1e7_all_blank_ms;
	double point_decode_us; /* the floor under every verification: 10 per packed ballot, 16 per choice */
	double point_add_encode_us;
};

/* One batch of BATCH ballots (the distinct ones repeated under new ids:
 * the work per item is the same), packed or per choice. */
static int verify_batch(urna_batch *bt, const pk_ballot *pk, const yn_ballot *yn, const uint8_t h_E[32],
                        const uint8_t K[32])
{
	uint64_t bad[4];
	size_t nbad;
	batch_clear(bt);
	for (int i = 0; i < BATCH; i++)
		if (pk ? pk_batch_add(bt, (uint64_t)i, &pk[i % NBALLOTS], h_E, K)
		       : yn_batch_add(bt, (uint64_t)i, &yn[i % NBALLOTS], h_E, K))
			return -1;
	return batch_verify(bt, bad, 4, &nbad);
}

/* A region of 10^7 voters, all of whom voted (M = 2^24, the baby steps'
 * table at its largest): the counts 5,400,000 / 4,400,000 / 200,000 blank
 * recovered from their packed sum, the table's making included. */
static int packed_recover(double *ms, double *table_ms, uint64_t c1, uint64_t c2)
{
	const uint64_t n = 10000000, M = 1u << 24;
	uint8_t S[32];
	uint64_t a, b;
	if (point_small_base(S, c1 + c2 * M))
		return -1;
	double t0 = now_us();
	urna_dlog2 *d = dlog2_new(n, M, 1, 2);
	if (!d)
		return -1;
	double t1 = now_us();
	int rc = dlog2_find(d, &a, &b, S, 1);
	double t2 = now_us();
	dlog2_free(d);
	if (rc || a != c1 || b != c2)
		return -1;
	*ms = (t2 - t0) / 1000;
	if (table_ms)
		*table_ms = (t1 - t0) / 1000;
	return 0;
}

static int run_once(struct results *res, urna_batch *bt, const pk_ballot *pk, const yn_ballot *ballots,
                    const uint8_t h_E[32], const uint8_t K[32], const uint8_t x[32], const uint8_t X[32],
                    uint8_t (*msm_s)[32], const vt_point **msm_p, vt_point *acc)
{
	uint64_t bad[4];
	size_t nbad;
	yn_ballot tmp;
	pk_ballot ptmp;
	double t0;

	t0 = now_us();
	for (int i = 0; i < 16; i++)
		if (pk_encrypt(&ptmp, h_E, K, x, X, (uint32_t)(i % 3)))
			return -1;
	res->encrypt_ballot_us = (now_us() - t0) / 16;
	t0 = now_us();
	for (int i = 0; i < 16; i++)
		if (yn_encrypt(&tmp, h_E, K, x, X, i & 1))
			return -1;
	res->per_choice_encrypt_ballot_us = (now_us() - t0) / 16;

	/* One ballot on its own: a batch of one (what a server does at intake). */
	urna_batch *one = batch_new(K);
	if (!one)
		return -1;
	for (int form = 0; form < 2; form++) {
		t0 = now_us();
		for (int i = 0; i < 4 * NBALLOTS; i++) {
			batch_clear(one);
			if ((form ? yn_batch_add(one, 0, &ballots[i % NBALLOTS], h_E, K)
			          : pk_batch_add(one, 0, &pk[i % NBALLOTS], h_E, K)) ||
			    batch_verify(one, bad, 4, &nbad)) {
				batch_free(one);
				return -1;
			}
		}
		*(form ? &res->per_choice_verify_ballot_us : &res->verify_ballot_us) = (now_us() - t0) / (4 * NBALLOTS);
	}
	batch_free(one);

	/* A verifier thread reuses its batch from one chunk to the next. */
	t0 = now_us();
	if (verify_batch(bt, pk, NULL, h_E, K))
		return -1;
	res->verify_ballot_batched_us = (now_us() - t0) / BATCH;
	t0 = now_us();
	if (verify_batch(bt, NULL, ballots, h_E, K))
		return -1;
	res->per_choice_verify_ballot_batched_us = (now_us() - t0) / BATCH;

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
	res->point_decode_us = bench_point_decode_us();
	/* a step of a count's search through libdecaf's API: an addition and
	 * the encoding (its only canonical form) to look the point up by
	 * (dlog2.c, which batches its own, says why it does not) */
	uint8_t enc[32];
	t0 = now_us();
	for (int i = 0; i < 4000; i++) {
		vt_add(A, A, ca);
		vt_encode(enc, A);
	}
	res->point_add_encode_us = (now_us() - t0) / 4000;
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
	return packed_recover(&res->packed_recover_1e7_ms, &res->packed_recover_1e7_table_ms, 5400000, 4400000);
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
	pk_ballot *pk = malloc(sizeof *pk * NBALLOTS);
	uint8_t (*msm_s)[32] = malloc(32 * (size_t)MSM_POINTS);
	const vt_point **msm_p = malloc(sizeof *msm_p * MSM_POINTS);
	char *pts = malloc(vt_point_size() * 1025);
	struct results *r = calloc(reps, sizeof *r);
	double *col = malloc(sizeof *col * reps);
	urna_batch *bt = NULL;
	if (!ballots || !pk || !msm_s || !msm_p || !pts || !r || !col)
		goto out;
	for (int i = 0; i < NBALLOTS; i++)
		if (yn_encrypt(&ballots[i], h_E, K, x, X, i & 1) || pk_encrypt(&pk[i], h_E, K, x, X, (uint32_t)(i % 3)))
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
	if (!bt || verify_batch(bt, NULL, ballots, h_E, K)) /* warm-up: the batch's memory */
		goto out;
	for (unsigned i = 0; i < reps; i++)
		if (run_once(&r[i], bt, pk, ballots, h_E, K, x, X, msm_s, msm_p, (vt_point *)(pts + 1024 * vt_point_size())))
			goto out;
	/* The worst case once (every counted ballot blank: the search goes
	 * through every blank count), given to every run. */
	double worst;
	if (packed_recover(&worst, NULL, 0, 0))
		goto out;
	for (unsigned i = 0; i < reps; i++)
		r[i].packed_recover_1e7_all_blank_ms = worst;

	static const struct { const char *name; size_t off; int prec; } fields[] = {
		{"encrypt_ballot_us", offsetof(struct results, encrypt_ballot_us), 1},
		{"verify_ballot_us", offsetof(struct results, verify_ballot_us), 1},
		{"verify_ballot_batched_us", offsetof(struct results, verify_ballot_batched_us), 1},
		{"per_choice_encrypt_ballot_us", offsetof(struct results, per_choice_encrypt_ballot_us), 1},
		{"per_choice_verify_ballot_us", offsetof(struct results, per_choice_verify_ballot_us), 1},
		{"per_choice_verify_ballot_batched_us", offsetof(struct results, per_choice_verify_ballot_batched_us), 1},
		{"msm_point_us", offsetof(struct results, msm_point_us), 3},
		{"tally_add_us", offsetof(struct results, tally_add_us), 3},
		{"tally_add_decode_us", offsetof(struct results, tally_add_decode_us), 2},
		{"dlog_1e7_ms", offsetof(struct results, dlog_1e7_ms), 1},
		{"dlog_table_ms", offsetof(struct results, dlog_table_ms), 1},
		{"dlog_find_ms", offsetof(struct results, dlog_find_ms), 1},
		{"packed_recover_1e7_ms", offsetof(struct results, packed_recover_1e7_ms), 1},
		{"packed_recover_1e7_table_ms", offsetof(struct results, packed_recover_1e7_table_ms), 1},
		{"packed_recover_1e7_all_blank_ms", offsetof(struct results, packed_recover_1e7_all_blank_ms), 1},
		{"point_decode_us", offsetof(struct results, point_decode_us), 2},
		{"point_add_encode_us", offsetof(struct results, point_add_encode_us), 2},
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
		json_object_set_new(o, "ballot", json_string("yes/no/blank: 1 question, 2 choices, min=0, max=1, packed (one "
		                                             "ciphertext, a proof over 0, 1, M), signed: 10 points"));
		json_object_set_new(o, "per_choice_ballot", json_string("the same question one ciphertext a choice (0/1 "
		                                                        "proofs, a sum proof over 1..1), signed: 16 points"));
		json_object_set_new(o, "batch_ballots", json_integer(BATCH));
		json_object_set_new(o, "msm_points", json_integer(MSM_POINTS));
		for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
			for (unsigned i = 0; i < reps; i++)
				col[i] = *(double *)((char *)&r[i] + fields[f].off);
			double med = bench_median(col, (int)reps), p = fields[f].prec == 3 ? 1000 : fields[f].prec == 2 ? 100 : 10;
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
			printf("  %-28s %12.*f\n", fields[f].name, fields[f].prec, bench_median(col, (int)reps));
		}
	}
	rc = 0;
out:
	if (rc != 0)
		err_set(e, URNA_E_IO, "a measurement failed");
	batch_free(bt);
	free(ballots);
	free(pk);
	free(msm_s);
	free(msm_p);
	free(pts);
	free(r);
	free(col);
	return rc;
}
