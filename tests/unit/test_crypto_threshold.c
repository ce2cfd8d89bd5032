/* test_crypto_threshold.c: trustee keys and the Pedersen DKG (PROTOCOL.md
 * s.4, s.15 shares and complaints; each dealer's proof of knowledge bound to
 * all its commitments and its box key, docs/protocol.md s.11), threshold
 * decryption and combination (s.8), and the discrete log of counts (s.8). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>
#include "crypto/dlog2.h"
#include "crypto/hash.h"
#include "crypto/proof.h"
#include "crypto/threshold.h"

#define N 5
#define T 3

static uint8_t h_R[32], h_E[32];

typedef struct {
	urna_poly f;
	uint8_t C[URNA_MAX_TRUSTEES][32];
	urna_schnorr pok;
	uint8_t pk[32], sk[32];
	uint8_t x[32]; /* its share of the election key */
} trustee;

static trustee tr[N];
static uint8_t Cs[N][URNA_MAX_TRUSTEES][32];

/* Counts `yes` votes out of `n` ballots; returns A = sum alpha, B = sum beta. */
static void cast(uint8_t A[32], uint8_t B[32], const uint8_t K[32], int n, int yes)
{
	point_identity(A);
	point_identity(B);
	for (int i = 0; i < n; i++) {
		urna_ct ct;
		uint8_t r[32];
		assert_int_equal(elgamal_encrypt(&ct, r, K, i < yes), 0);
		assert_int_equal(point_add(A, A, ct.alpha), 0);
		assert_int_equal(point_add(B, B, ct.beta), 0);
	}
}

/* What trustee j's decryption proofs under K are bound to. */
static void dec_bind(urna_dec_bind *b, const uint8_t K[32], uint32_t j, const uint8_t X[32])
{
	memcpy(b->h_R, h_R, 32);
	memcpy(b->h_E, h_E, 32);
	memcpy(b->K, K, 32);
	b->j = j;
	memcpy(b->X_j, X, 32);
}

/* Combines the partial decryptions of trustees idx[0..k) of (A, B) under
 * K and solves. */
static int open_count(uint64_t *count, const uint8_t K[32], const uint8_t A[32], const uint8_t B[32],
                      const uint32_t *idx, size_t k, const urna_dlog *dl)
{
	uint8_t Dj[N][32], D[32], M[32], X[32];
	int qualified[N] = {1, 1, 1, 1, 1};
	urna_ct ct;
	memcpy(ct.alpha, A, 32);
	memcpy(ct.beta, B, 32);
	for (size_t m = 0; m < k; m++) {
		urna_cp pf;
		urna_dec_bind db;
		uint32_t j = idx[m];
		assert_int_equal(verification_key(X, j, (const uint8_t (*)[URNA_MAX_TRUSTEES][32])Cs, qualified, N, T), 0);
		dec_bind(&db, K, j, X);
		assert_int_equal(cp_decrypt(Dj[m], &pf, &db, &ct, tr[j - 1].x), 0);
		assert_int_equal(cp_verify(&pf, &db, &ct, Dj[m]), 0);
	}
	assert_int_equal(combine_shares(D, (const uint8_t (*)[32])Dj, idx, k), 0);
	assert_int_equal(point_sub(M, B, D), 0);
	return dlog_find(dl, count, M);
}

/* s.4: a 3-of-5 DKG where everyone is honest. */
static int setup_dkg(void **state)
{
	(void)state;
	for (int i = 0; i < N; i++) {
		poly_random(&tr[i].f, T);
		box_keypair(tr[i].pk, tr[i].sk);
		if (poly_commit(tr[i].C, &tr[i].f) ||
		    pok_prove(&tr[i].pok, h_R, (uint32_t)i + 1, (const uint8_t (*)[32])tr[i].C, T, tr[i].pk, tr[i].f.a[0]))
			return -1;
		memcpy(Cs[i], tr[i].C, sizeof Cs[i]);
	}
	/* Dealer i seals f_i(j) to j; j opens and checks it. */
	for (int j = 0; j < N; j++) {
		memset(tr[j].x, 0, 32);
		for (int i = 0; i < N; i++) {
			uint8_t share[32], box[URNA_SEALED_SHARE], nonce[24], got[32];
			poly_eval(share, &tr[i].f, (uint32_t)j + 1);
			if (share_seal(box, nonce, share, tr[j].pk, tr[i].sk) ||
			    share_open(got, box, nonce, tr[i].pk, tr[j].sk) || memcmp(got, share, 32) ||
			    share_check(got, (uint32_t)j + 1, (const uint8_t (*)[32])tr[i].C, T))
				return -1;
			scalar_add(tr[j].x, tr[j].x, got);
		}
	}
	return 0;
}

static void election_key(uint8_t K[32], const int *qualified)
{
	point_identity(K);
	for (int i = 0; i < N; i++)
		if (!qualified || qualified[i])
			assert_int_equal(point_add(K, K, tr[i].C[0]), 0);
}

/* s.4, s.11: proofs of knowledge (each bound to its dealer's index, every
 * commitment and box key: another dealer's higher commitments or box key
 * under it fail), verification keys X_j = x_j G. */
static void test_dkg_keys(void **state)
{
	(void)state;
	int qualified[N] = {1, 1, 1, 1, 1};
	for (int i = 0; i < N; i++) {
		const uint8_t (*C)[32] = (const uint8_t (*)[32])tr[i].C;
		int o = (i + 1) % N; /* another dealer */
		uint8_t mixed[T][32];
		assert_int_equal(pok_verify(&tr[i].pok, h_R, (uint32_t)i + 1, C, T, tr[i].pk), 0);
		assert_int_equal(pok_verify(&tr[i].pok, h_R, (uint32_t)i + 2, C, T, tr[i].pk), -1);
		assert_int_equal(pok_verify(&tr[i].pok, h_R, (uint32_t)i + 1, C, T, tr[o].pk), -1);
		memcpy(mixed, tr[i].C, sizeof mixed);
		memcpy(mixed[T - 1], tr[o].C[T - 1], 32);
		assert_int_equal(pok_verify(&tr[i].pok, h_R, (uint32_t)i + 1, (const uint8_t (*)[32])mixed, T, tr[i].pk), -1);
		uint8_t X[32], xG[32];
		assert_int_equal(verification_key(X, (uint32_t)i + 1, (const uint8_t (*)[URNA_MAX_TRUSTEES][32])Cs, qualified, N, T), 0);
		assert_int_equal(point_base_mul(xG, tr[i].x), 0);
		assert_memory_equal(X, xG, 32);
	}
	/* K = (sum_i a_i0) G = the secret the shares interpolate to at 0. */
	uint8_t K[32], k0[32] = {0}, kG[32], lambda[32], t[32], sum[32] = {0};
	uint32_t idx[T] = {2, 4, 5};
	election_key(K, NULL);
	for (int i = 0; i < N; i++)
		scalar_add(k0, k0, tr[i].f.a[0]);
	assert_int_equal(point_base_mul(kG, k0), 0);
	assert_memory_equal(K, kG, 32);
	for (size_t m = 0; m < T; m++) {
		assert_int_equal(lagrange_at0(lambda, idx, T, m), 0);
		scalar_mul(t, lambda, tr[idx[m] - 1].x);
		scalar_add(sum, sum, t);
	}
	assert_memory_equal(sum, k0, 32);
	assert_int_equal(lagrange_at0(lambda, idx, T, T), -1);
	uint32_t dup[2] = {3, 3};
	assert_int_equal(lagrange_at0(lambda, dup, 2, 0), -1);
}

/* s.8: any 3 of the 5 trustees open the right count; 2 cannot. */
static void test_threshold_decrypt(void **state)
{
	(void)state;
	static const uint32_t subsets[][T] = {{1, 2, 3}, {2, 4, 5}, {1, 3, 5}, {5, 4, 1}};
	uint8_t K[32], A[32], B[32];
	uint64_t count;
	urna_dlog *dl = dlog_new(100);
	assert_non_null(dl);
	election_key(K, NULL);
	cast(A, B, K, 9, 6);
	for (size_t s = 0; s < sizeof subsets / sizeof *subsets; s++) {
		assert_int_equal(open_count(&count, K, A, B, subsets[s], T, dl), 0);
		assert_int_equal(count, 6);
	}
	/* Two shares interpolate a different polynomial: no count, or a wrong one. */
	uint32_t two[2] = {1, 2};
	if (open_count(&count, K, A, B, two, 2, dl) == 0)
		assert_int_not_equal(count, 6);
	dlog_free(dl);
}

/* s.4, s.15: a dealer sends trustee 4 a bad share. share_check catches it;
 * the complaint reveals the pair's shared key, with which anyone opens the
 * box (it authenticates) and sees the share fail the check; a complaint
 * against an honest share does not stand. The dealer is then left out. */
static void test_complaint(void **state)
{
	(void)state;
	const int dealer = 1, victim = 3; /* trustees 2 and 4 */
	uint8_t share[32], one[32], box[URNA_SEALED_SHARE], nonce[24], got[32], k[32], k2[32];
	poly_eval(share, &tr[dealer].f, victim + 1);
	scalar_from_u64(one, 1);
	scalar_add(share, share, one);
	assert_int_equal(share_seal(box, nonce, share, tr[victim].pk, tr[dealer].sk), 0);
	assert_int_equal(share_open(got, box, nonce, tr[dealer].pk, tr[victim].sk), 0);
	assert_int_equal(share_check(got, victim + 1, (const uint8_t (*)[32])tr[dealer].C, T), -1);
	/* The complaint: the shared key. A third party checks it. */
	assert_int_equal(share_shared_key(k, tr[dealer].pk, tr[victim].sk), 0);
	assert_int_equal(share_shared_key(k2, tr[victim].pk, tr[dealer].sk), 0);
	assert_memory_equal(k, k2, 32); /* the dealer computes the same key */
	memset(got, 0, 32);
	assert_int_equal(share_open_with_key(got, box, nonce, k), 0);
	assert_memory_equal(got, share, 32);
	assert_int_equal(share_check(got, victim + 1, (const uint8_t (*)[32])tr[dealer].C, T), -1);
	/* A forged key does not open the box. */
	k[0] ^= 1;
	assert_int_equal(share_open_with_key(got, box, nonce, k), -1);
	assert_true(sodium_is_zero(got, 32));
	/* An honest share: the complaint would not stand. */
	poly_eval(share, &tr[dealer].f, victim + 1);
	assert_int_equal(share_seal(box, nonce, share, tr[victim].pk, tr[dealer].sk), 0);
	assert_int_equal(share_shared_key(k, tr[dealer].pk, tr[victim].sk), 0);
	assert_int_equal(share_open_with_key(got, box, nonce, k), 0);
	assert_int_equal(share_check(got, victim + 1, (const uint8_t (*)[32])tr[dealer].C, T), 0);
	/* The same share plus l: the same point, but not a canonical scalar. */
	static const uint8_t l[32] = {
		0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
	};
	unsigned carry = 0;
	for (int i = 0; i < 32; i++) {
		carry += (unsigned)got[i] + l[i];
		got[i] = (uint8_t)carry;
		carry >>= 8;
	}
	assert_int_equal(share_check(got, victim + 1, (const uint8_t (*)[32])tr[dealer].C, T), -1);

	/* Without the dealer: K and every X_j from the qualified ones. */
	int qualified[N] = {1, 0, 1, 1, 1};
	uint8_t K[32], A[32], B[32], x[N][32], Dj[T][32], D[32], M[32];
	uint32_t idx[T] = {1, 3, 4};
	election_key(K, qualified);
	for (int j = 0; j < N; j++) {
		uint8_t s[32], X[32], xG[32];
		memset(x[j], 0, 32);
		for (int i = 0; i < N; i++) {
			if (!qualified[i])
				continue;
			poly_eval(s, &tr[i].f, (uint32_t)j + 1);
			scalar_add(x[j], x[j], s);
		}
		assert_int_equal(verification_key(X, (uint32_t)j + 1, (const uint8_t (*)[URNA_MAX_TRUSTEES][32])Cs, qualified, N, T), 0);
		assert_int_equal(point_base_mul(xG, x[j]), 0);
		assert_memory_equal(X, xG, 32);
	}
	cast(A, B, K, 5, 2);
	urna_ct ct;
	memcpy(ct.alpha, A, 32);
	memcpy(ct.beta, B, 32);
	for (int m = 0; m < T; m++) {
		urna_cp pf;
		urna_dec_bind db;
		uint8_t X[32];
		assert_int_equal(point_base_mul(X, x[idx[m] - 1]), 0);
		dec_bind(&db, K, idx[m], X);
		assert_int_equal(cp_decrypt(Dj[m], &pf, &db, &ct, x[idx[m] - 1]), 0);
		assert_int_equal(cp_verify(&pf, &db, &ct, Dj[m]), 0);
	}
	assert_int_equal(combine_shares(D, (const uint8_t (*)[32])Dj, idx, T), 0);
	assert_int_equal(point_sub(M, B, D), 0);
	urna_dlog *dl = dlog_new(10);
	uint64_t count;
	assert_int_equal(dlog_find(dl, &count, M), 0);
	assert_int_equal(count, 2);
	dlog_free(dl);
}

/* s.4, s.15: t = n: X_i = C_i0, K = sum C_i0, D = sum D_i. */
static void test_t_equals_n(void **state)
{
	(void)state;
	enum { n = 3 };
	uint8_t s[n][32], S[n][32], K[32], A[32], B[32], D[32], M[32];
	point_identity(K);
	for (int i = 0; i < n; i++) {
		urna_schnorr pok;
		scalar_random(s[i]);
		assert_int_equal(point_base_mul(S[i], s[i]), 0);
		assert_int_equal(pok_prove(&pok, h_R, (uint32_t)i + 1, (const uint8_t (*)[32])S[i], 1, tr[i].pk, s[i]), 0);
		assert_int_equal(pok_verify(&pok, h_R, (uint32_t)i + 1, (const uint8_t (*)[32])S[i], 1, tr[i].pk), 0);
		assert_int_equal(pok_verify(&pok, h_R, (uint32_t)i + 1, (const uint8_t (*)[32])S[i], 1, tr[i + 1].pk), -1);
		assert_int_equal(point_add(K, K, S[i]), 0);
	}
	cast(A, B, K, 12, 7);
	urna_ct ct;
	memcpy(ct.alpha, A, 32);
	memcpy(ct.beta, B, 32);
	uint8_t Di[n][32];
	for (int i = 0; i < n; i++) {
		urna_cp pf;
		urna_dec_bind db;
		dec_bind(&db, K, (uint32_t)i + 1, S[i]);
		assert_int_equal(cp_decrypt(Di[i], &pf, &db, &ct, s[i]), 0);
		assert_int_equal(cp_verify(&pf, &db, &ct, Di[i]), 0);
		/* Under another trustee's verification key it fails. */
		memcpy(db.X_j, S[(i + 1) % n], 32);
		assert_int_equal(cp_verify(&pf, &db, &ct, Di[i]), -1);
	}
	assert_int_equal(combine_sum(D, (const uint8_t (*)[32])Di, n), 0);
	assert_int_equal(point_sub(M, B, D), 0);
	urna_dlog *dl = dlog_new(12);
	uint64_t count;
	assert_int_equal(dlog_find(dl, &count, M), 0);
	assert_int_equal(count, 7);
	/* Missing one trustee's part: no count. */
	assert_int_equal(point_sub(M, B, A), 0);
	assert_int_equal(dlog_find(dl, &count, M), -1);
	dlog_free(dl);
}

/* s.8: baby-step giant-step finds 0, 1, max - 1 and max, and nothing above. */
static void test_dlog(void **state)
{
	(void)state;
	static const uint64_t maxes[] = {0, 1, 255, 1000, 100000, 3000000};
	for (size_t k = 0; k < sizeof maxes / sizeof *maxes; k++) {
		uint64_t max = maxes[k], count;
		uint8_t M[32];
		urna_dlog *dl = dlog_new(max);
		assert_non_null(dl);
		uint64_t tries[] = {0, 1, max ? max - 1 : 0, max, max / 2 + 1};
		for (size_t t = 0; t < 5; t++) {
			if (tries[t] > max)
				continue;
			assert_int_equal(point_small_base(M, tries[t]), 0);
			assert_int_equal(dlog_find(dl, &count, M), 0);
			assert_int_equal(count, tries[t]);
		}
		assert_int_equal(point_small_base(M, max + 1), 0);
		assert_int_equal(dlog_find(dl, &count, M), -1);
		assert_int_equal(point_small_base(M, max + 5000), 0);
		assert_int_equal(dlog_find(dl, &count, M), -1);
		memset(M, 0xff, 32);
		assert_int_equal(dlog_find(dl, &count, M), -1);
		dlog_free(dl);
	}
}

/* s.8: a packed sum s = c1 + c2 M (c1 + c2 = n - b) gives back c1 and c2:
 * every pair of small regions exhaustively (with and without blank, one
 * thread and two), the corners of larger ones (M - 1 counted, all for one
 * choice, all blank), and nothing that is no such sum. */
static void check2(const urna_dlog2 *d, uint64_t M, uint64_t c1, uint64_t c2, int blank)
{
	uint8_t S[32];
	uint64_t a = 99, b = 99;
	assert_int_equal(point_small_base(S, c1 + c2 * M), 0);
	assert_int_equal(dlog2_find(d, &a, &b, S, blank), 0);
	assert_int_equal(a, c1);
	assert_int_equal(b, c2);
}

static void refused2(const urna_dlog2 *d, uint64_t s, int blank)
{
	uint8_t S[32];
	uint64_t a, b;
	assert_int_equal(point_small_base(S, s), 0);
	assert_int_equal(dlog2_find(d, &a, &b, S, blank), -1);
	assert_int_equal(a + b, 0);
}

static void test_dlog2(void **state)
{
	(void)state;
	for (uint64_t n = 0; n <= 40; n++) {
		uint64_t M = 2;
		while (M <= n)
			M *= 2;
		for (int blank = 0; blank < 2; blank++) {
			urna_dlog2 *d = dlog2_new(n, M, blank, 1 + (int)(n % 2));
			assert_non_null(d);
			for (uint64_t c2 = 0; c2 <= n; c2++)
				for (uint64_t c1 = 0; c1 + c2 <= n; c1++)
					if (blank || c1 + c2 == n)
						check2(d, M, c1, c2, blank);
			if (!blank && n)
				refused2(d, n - 1, 0);       /* c1 + c2 = n - 1: a blank where none is allowed */
			if (n + 1 < M)
				refused2(d, n + 1, blank);   /* c1 = n + 1 */
			refused2(d, (n + 1) * M, blank); /* c2 = n + 1 */
			refused2(d, M * M, blank);       /* carries past the second digit */
			dlog2_free(d);
		}
	}
	static const uint64_t ns[] = {255, 4095, 70000}; /* 255 and 4095 are M - 1 */
	for (size_t k = 0; k < sizeof ns / sizeof *ns; k++) {
		uint64_t n = ns[k], M = 2;
		while (M <= n)
			M *= 2;
		urna_dlog2 *d = dlog2_new(n, M, 1, 2);
		assert_non_null(d);
		check2(d, M, n, 0, 1);
		check2(d, M, 0, n, 1);
		check2(d, M, 0, 0, 1);
		check2(d, M, n / 3, n / 2, 1);
		check2(d, M, n - 1, 0, 1);
		check2(d, M, 1, n - 1, 0);
		refused2(d, n * M + 1, 1);
		dlog2_free(d);
	}
	/* bad arguments */
	assert_null(dlog2_new(4, 4, 1, 1));  /* n must be below M */
	assert_null(dlog2_new(0, 1, 1, 1));
	urna_dlog2 *d = dlog2_new(3, 4, 1, 1);
	uint8_t bad[32];
	uint64_t a, b;
	memset(bad, 0xff, 32);
	assert_int_equal(dlog2_find(d, &a, &b, bad, 1), -1);
	dlog2_free(d);
}

int main(void)
{
	if (crypto_setup() != 0)
		return 1;
	hash32(h_R, "referendum", 10);
	hash32(h_E, "region", 6);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dkg_keys),
		cmocka_unit_test(test_threshold_decrypt),
		cmocka_unit_test(test_complaint),
		cmocka_unit_test(test_t_equals_n),
		cmocka_unit_test(test_dlog),
		cmocka_unit_test(test_dlog2),
	};
	int rc = cmocka_run_group_tests(tests, setup_dkg, NULL);
	for (int i = 0; i < N; i++)
		poly_wipe(&tr[i].f);
	return rc;
}
