/* test_crypto_proof.c: ElGamal, range proofs (PROTOCOL.md s.6), ballot
 * signatures (s.6), trustee proofs of knowledge (s.4), decryption proofs
 * (s.8) and batch verification with bisection (s.9). Every proof: honest
 * ones verify; changing any single field fails, one by one and in a batch;
 * the batch names exactly the bad items. Every challenge hashes its whole
 * statement (docs/protocol.md s.11, version 2): a proof made for one
 * statement fails for a statement that differs only in an element its
 * equations do not hold (h_R, K where it is not in them, a higher
 * commitment, the box key, the ciphertext's B), and the forgeries that a
 * challenge without K or X_j allowed (the statement's key chosen after the
 * challenge, Bernhard-Pereira-Warinschi 2012) are refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "crypto/batch.h"
#include "crypto/hash.h"
#include "crypto/proof.h"

/* The result does not matter here: batch_verify must report the item. */
#define IGNORE(x) do { if (x) {} } while (0)

static uint8_t k_sec[32], K[32], h_R[32], h_E[32], x_cred[32], X_cred[32];

/* The binding of a ballot of credential X_cred in region h_E of h_R under K. */
static void bind(urna_bind *b)
{
	memcpy(b->h_R, h_R, 32);
	memcpy(b->h_E, h_E, 32);
	memcpy(b->K, K, 32);
	memcpy(b->X, X_cred, 32);
}

/* Decrypts ct with the election secret and returns v (small v only). */
static uint32_t decrypt_small(const urna_ct *ct)
{
	uint8_t D[32], M[32], P[32];
	assert_int_equal(point_mul(D, k_sec, ct->alpha), 0);
	assert_int_equal(point_sub(M, ct->beta, D), 0);
	for (uint32_t v = 0; v < 64; v++) {
		assert_int_equal(point_small_base(P, v), 0);
		if (!memcmp(P, M, 32))
			return v;
	}
	fail_msg("not a small value");
	return 0;
}

/* 0 iff the batch holds; else the single bad id must be want. */
static int batch_one(const urna_range *pf, const urna_bind *b, uint32_t q, uint32_t choice, const urna_ct *ct,
                     uint32_t lo, uint32_t hi)
{
	urna_batch *bt = batch_new(K);
	uint64_t bad[4];
	size_t nbad = 0;
	assert_non_null(bt);
	IGNORE(range_batch_add(bt, 42, pf, b, q, choice, ct, lo, hi));
	int rc = batch_verify(bt, bad, 4, &nbad);
	if (rc) {
		assert_int_equal(nbad, 1);
		assert_int_equal(bad[0], 42);
	} else {
		assert_int_equal(nbad, 0);
	}
	batch_free(bt);
	return rc;
}

/* s.6: exponential ElGamal encrypts v as (rG, rK + vG). */
static void test_elgamal(void **state)
{
	(void)state;
	for (uint32_t v = 0; v < 20; v += 3) {
		urna_ct ct, ct2, sum;
		uint8_t r[32], r2[32];
		assert_int_equal(elgamal_encrypt(&ct, r, K, v), 0);
		assert_int_equal(decrypt_small(&ct), v);
		uint8_t A[32];
		assert_int_equal(point_base_mul(A, r), 0);
		assert_memory_equal(A, ct.alpha, 32);
		assert_int_equal(elgamal_encrypt(&ct2, r2, K, 5), 0);
		assert_int_equal(ct_add(&sum, &ct, &ct2), 0);
		assert_int_equal(decrypt_small(&sum), v + 5);
	}
}

/* s.6: honest range proofs verify for every lo..hi and every true value,
 * one by one and in a batch. */
static void test_range_honest(void **state)
{
	(void)state;
	static const uint32_t ranges[][2] = {{0, 1}, {1, 1}, {0, 0}, {0, 3}, {2, 5}, {0, URNA_MAX_RANGE - 1}};
	for (size_t k = 0; k < sizeof ranges / sizeof *ranges; k++) {
		uint32_t lo = ranges[k][0], hi = ranges[k][1];
		for (uint32_t v = lo; v <= hi; v += (hi - lo > 4 ? 5 : 1)) {
			urna_ct ct;
			urna_range pf;
			urna_bind b;
			uint8_t r[32];
			bind(&b);
			assert_int_equal(elgamal_encrypt(&ct, r, K, v), 0);
			assert_int_equal(range_prove(&pf, &b, 3, 1, &ct, r, v, lo, hi), 0);
			assert_int_equal(range_verify(&pf, &b, 3, 1, &ct, lo, hi), 0);
			assert_int_equal(batch_one(&pf, &b, 3, 1, &ct, lo, hi), 0);
		}
	}
}

/* s.6: the prover refuses values outside lo..hi and oversized ranges. */
static void test_range_refuses(void **state)
{
	(void)state;
	urna_ct ct;
	urna_range pf;
	urna_bind b;
	uint8_t r[32];
	bind(&b);
	assert_int_equal(elgamal_encrypt(&ct, r, K, 2), 0);
	assert_int_equal(range_prove(&pf, &b, 0, 0, &ct, r, 2, 0, 1), -1);
	assert_true(sodium_is_zero((const uint8_t *)&pf, sizeof pf));
	assert_int_equal(range_prove(&pf, &b, 0, 0, &ct, r, 2, 0, URNA_MAX_RANGE), -1);
	assert_int_equal(range_prove(&pf, &b, 0, 0, &ct, r, 2, 3, 2), -1);
	/* A proof for a false statement (2 claimed to be in 0..1 by proving
	 * with v = 1) does not verify. */
	assert_int_equal(range_prove(&pf, &b, 0, 0, &ct, r, 1, 0, 1), 0);
	assert_int_equal(range_verify(&pf, &b, 0, 0, &ct, 0, 1), -1);
	assert_int_equal(batch_one(&pf, &b, 0, 0, &ct, 0, 1), -1);
}

/* 0 iff a batch of the packed proof holds; else the single bad id must be 42. */
static int batch_packed(const urna_range *pf, const urna_bind *b, uint32_t q, const urna_ct *ct,
                        const uint64_t *vals, uint32_t n)
{
	urna_batch *bt = batch_new(K);
	uint64_t bad[4];
	size_t nbad = 0;
	assert_non_null(bt);
	IGNORE(packed_batch_add(bt, 42, pf, b, q, ct, vals, n));
	int rc = batch_verify(bt, bad, 4, &nbad);
	if (rc) {
		assert_int_equal(nbad, 1);
		assert_int_equal(bad[0], 42);
	}
	batch_free(bt);
	return rc;
}

/* s.6 (protocol 2): a packed ciphertext of each allowed value (0, 1, M; 1, M;
 * 0, 1; 1) decrypts to it and its proof verifies, alone and batched; under
 * another list (another M, blank dropped or added, another question) it
 * does not; the prover refuses bad lists and indices. */
static void test_packed(void **state)
{
	(void)state;
	static const uint64_t lists[][3] = {{0, 1, 8}, {1, 8, 0}, {0, 1, 0}, {1, 0, 0}, {0, 1, 1u << 31}};
	static const uint32_t ns[] = {3, 2, 2, 1, 3};
	urna_bind b;
	bind(&b);
	for (size_t l = 0; l < sizeof ns / sizeof *ns; l++)
		for (uint32_t idx = 0; idx < ns[l]; idx++) {
			const uint64_t *vals = lists[l];
			uint32_t n = ns[l];
			urna_ct ct;
			urna_range pf;
			uint8_t r[32], D[32], P[32], Q[32];
			scalar_random(r);
			assert_int_equal(packed_encrypt(&ct, r, K, vals, n, idx), 0);
			assert_int_equal(point_mul(D, k_sec, ct.alpha), 0);
			assert_int_equal(point_sub(P, ct.beta, D), 0);
			assert_int_equal(point_small_base(Q, vals[idx]), 0);
			assert_memory_equal(P, Q, 32);
			assert_int_equal(packed_prove(&pf, &b, 2, &ct, r, vals, n, idx, NULL), 0);
			assert_int_equal(pf.lo, 0);
			assert_int_equal(pf.hi, n - 1);
			assert_int_equal(packed_verify(&pf, &b, 2, &ct, vals, n), 0);
			assert_int_equal(batch_packed(&pf, &b, 2, &ct, vals, n), 0);
			assert_int_equal(packed_verify(&pf, &b, 3, &ct, vals, n), -1); /* another question */
			if (n >= 2 && vals[n - 1] > 1) {
				uint64_t other[3] = {vals[0], vals[1], vals[2]};
				other[n - 1] *= 2; /* another electorate's M */
				assert_int_equal(packed_verify(&pf, &b, 2, &ct, other, n), -1);
				assert_int_equal(batch_packed(&pf, &b, 2, &ct, other, n), -1);
			}
			if (n >= 2) /* one value fewer */
				assert_int_equal(packed_verify(&pf, &b, 2, &ct, vals + 1, n - 1), -1);
		}
	/* bad arguments: not ascending, empty, too long, idx out of range */
	static const uint64_t desc[3] = {8, 1, 0}, four[4] = {0, 1, 2, 3};
	urna_ct ct;
	urna_range pf;
	uint8_t r[32];
	scalar_random(r);
	assert_int_equal(packed_encrypt(&ct, r, K, desc, 3, 0), -1);
	assert_int_equal(packed_encrypt(&ct, r, K, four, 4, 0), -1);
	assert_int_equal(packed_encrypt(&ct, r, K, four, 0, 0), -1);
	assert_int_equal(packed_encrypt(&ct, r, K, lists[0], 3, 3), -1);
	assert_int_equal(packed_encrypt(&ct, r, K, lists[0], 3, 2), 0);
	assert_int_equal(packed_prove(&pf, &b, 0, &ct, r, lists[0], 3, 3, NULL), -1);
	assert_true(sodium_is_zero((const uint8_t *)&pf, sizeof pf));
	assert_int_equal(packed_prove(&pf, &b, 0, &ct, r, desc, 3, 0, NULL), -1);
	/* the true value M proven as if it were 1 (index 1) fails */
	assert_int_equal(packed_prove(&pf, &b, 0, &ct, r, lists[0], 3, 1, NULL), 0);
	assert_int_equal(packed_verify(&pf, &b, 0, &ct, lists[0], 3), -1);
	assert_int_equal(batch_packed(&pf, &b, 0, &ct, lists[0], 3), -1);
}

/* s.6: a ciphertext of a value no packed question allows (2, M + 1, M^2)
 * has no proof over 0, 1, M: neither one made over a list holding it nor
 * one made as if it held an allowed value. */
static void test_packed_unallowed(void **state)
{
	(void)state;
	const uint64_t M = 1024, allowed[3] = {0, 1, M}, bad[] = {2, M + 1, M * M};
	urna_bind b;
	bind(&b);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		uint64_t cheat[3] = {0, 1, bad[i]};
		urna_ct ct;
		urna_range pf;
		uint8_t r[32];
		scalar_random(r);
		assert_int_equal(packed_encrypt(&ct, r, K, cheat, 3, 2), 0);
		assert_int_equal(packed_prove(&pf, &b, 0, &ct, r, cheat, 3, 2, NULL), 0);
		assert_int_equal(packed_verify(&pf, &b, 0, &ct, cheat, 3), 0);
		assert_int_equal(packed_verify(&pf, &b, 0, &ct, allowed, 3), -1);
		assert_int_equal(batch_packed(&pf, &b, 0, &ct, allowed, 3), -1);
		for (uint32_t idx = 0; idx < 3; idx++) {
			assert_int_equal(packed_prove(&pf, &b, 0, &ct, r, allowed, 3, idx, NULL), 0);
			assert_int_equal(packed_verify(&pf, &b, 0, &ct, allowed, 3), -1);
		}
	}
}

static void bump_point(uint8_t P[32])
{
	uint8_t G[32];
	assert_int_equal(point_small_base(G, 1), 0);
	assert_int_equal(point_add(P, P, G), 0);
}

static void bump_scalar(uint8_t s[32])
{
	uint8_t one[32];
	scalar_from_u64(one, 1);
	scalar_add(s, s, one);
}

/* s + l: the same scalar mod l in a non-canonical encoding (s < l, so s + l
 * < 2^253 fits), which every verifier must refuse. */
static void add_order(uint8_t s[32])
{
	static const uint8_t l[32] = {
		0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
	};
	unsigned carry = 0;
	for (int i = 0; i < 32; i++) {
		carry += (unsigned)s[i] + l[i];
		s[i] = (uint8_t)carry;
		carry >>= 8;
	}
}

/* A Schnorr answer that holds for the identity as public key: A = wG and
 * z = w satisfy zG = A + c O for every c. */
static void forge_for_identity(uint8_t A[32], uint8_t z[32])
{
	scalar_random(z);
	assert_int_equal(point_base_mul(A, z), 0);
}

/* s.6, s.11: changing any one field of a range proof, of the ciphertext or
 * of what it is bound to (h_R, h_E, K, X, question, choice, lo/hi) makes it
 * fail, one by one and in a batch. */
static void test_range_tamper(void **state)
{
	(void)state;
	urna_ct ct;
	urna_range pf;
	urna_bind b;
	uint8_t r[32];
	const uint32_t lo = 0, hi = 2;
	bind(&b);
	assert_int_equal(elgamal_encrypt(&ct, r, K, 1), 0);
	assert_int_equal(range_prove(&pf, &b, 1, 2, &ct, r, 1, lo, hi), 0);
	for (uint32_t i = 0; i <= hi - lo; i++) {
		for (int field = 0; field < 4; field++) {
			urna_range t = pf;
			switch (field) {
			case 0: bump_point(t.br[i].A); break;
			case 1: bump_point(t.br[i].B); break;
			case 2: bump_scalar(t.br[i].c); break;
			case 3: bump_scalar(t.br[i].z); break;
			}
			assert_int_equal(range_verify(&t, &b, 1, 2, &ct, lo, hi), -1);
			assert_int_equal(batch_one(&t, &b, 1, 2, &ct, lo, hi), -1);
		}
		/* a bad encoding and an out-of-range scalar */
		urna_range t = pf;
		memset(t.br[i].A, 0xff, 32);
		assert_int_equal(range_verify(&t, &b, 1, 2, &ct, lo, hi), -1);
		assert_int_equal(batch_one(&t, &b, 1, 2, &ct, lo, hi), -1);
		t = pf;
		memset(t.br[i].z, 0xff, 32);
		assert_int_equal(range_verify(&t, &b, 1, 2, &ct, lo, hi), -1);
		assert_int_equal(batch_one(&t, &b, 1, 2, &ct, lo, hi), -1);
		/* c + l and z + l: the equations and the challenge sum still hold
		 * mod l; only the canonical-scalar check refuses them. */
		for (int sc = 0; sc < 2; sc++) {
			t = pf;
			add_order(sc ? t.br[i].z : t.br[i].c);
			assert_int_equal(range_verify(&t, &b, 1, 2, &ct, lo, hi), -1);
			assert_int_equal(batch_one(&t, &b, 1, 2, &ct, lo, hi), -1);
		}
	}
	for (int field = 0; field < 10; field++) {
		urna_bind tb = b;
		urna_ct tc = ct;
		urna_range t = pf;
		uint32_t tq = 1, tch = 2, tlo = lo, thi = hi;
		switch (field) {
		case 0: tb.h_E[5] ^= 1; break;
		case 1: bump_point(tb.X); break;
		case 2: tq++; break;
		case 3: tch = URNA_SUM_CHOICE; break;
		case 4: bump_point(tc.alpha); break;
		case 5: bump_point(tc.beta); break;
		case 6: tlo = 1; thi = 3; t.lo = 1; t.hi = 3; break; /* shifted range */
		case 7: thi = 1; break;                              /* lo/hi differ from the proof's */
		case 8: tb.h_R[31] ^= 0x40; break;                   /* another referendum: only the challenge sees it */
		case 9: bump_point(tb.K); break;                     /* another election key */
		}
		assert_int_equal(range_verify(&t, &tb, tq, tch, &tc, tlo, thi), -1);
		assert_int_equal(batch_one(&t, &tb, tq, tch, &tc, tlo, thi), -1);
	}
}

/* The range equations of one branch j hold for (alpha, beta) under K with
 * (A, B, c, z): zG = A + c alpha and zK = B + c (beta - jG). */
static int branch_holds(const urna_branch *br, uint32_t j, const urna_ct *ct, const uint8_t Key[32])
{
	uint8_t l[32], rr[32], t[32], jG[32];
	assert_int_equal(point_base_mul(l, br->z), 0);
	assert_int_equal(point_mul(t, br->c, ct->alpha), 0);
	assert_int_equal(point_add(rr, br->A, t), 0);
	if (memcmp(l, rr, 32))
		return -1;
	assert_int_equal(point_mul(l, br->z, Key), 0);
	assert_int_equal(point_small_base(jG, j), 0);
	assert_int_equal(point_sub(t, ct->beta, jG), 0);
	assert_int_equal(point_mul(t, br->c, t), 0);
	assert_int_equal(point_add(rr, br->B, t), 0);
	return memcmp(l, rr, 32) ? -1 : 0;
}

/* s.11 (version 2): the range challenge hashes K. Without it, a prover
 * could fix the commitments and the ciphertext, take the challenge, and
 * only then choose the key: with alpha = rG, A = aG, z = a + c r, the key
 * K' = z^-1 (B + c (beta - vG)) satisfies both equations of a one-branch
 * proof that (alpha, beta) holds v, whatever beta holds (the weak
 * Fiat-Shamir of Helios, Bernhard-Pereira-Warinschi 2012). Here the
 * equations hold under K' (checked by hand), and the verifier refuses the
 * proof because the challenge it recomputes under K' is not the one taken
 * under K: a challenge without K would be the same and let it through. */
static void test_range_key_after_challenge(void **state)
{
	(void)state;
	uint8_t rr[32], a[32], w[32], zinv[32], t[32], K2[32], G1[32];
	urna_range pf;
	urna_ct ct;
	urna_bind b, b2;
	const uint32_t lo = 1, hi = 1; /* "this ciphertext holds 1" */
	bind(&b);
	scalar_random(rr);
	scalar_random(a);
	scalar_random(w);
	memset(&pf, 0, sizeof pf);
	pf.lo = lo;
	pf.hi = hi;
	assert_int_equal(point_base_mul(ct.alpha, rr), 0);
	assert_int_equal(point_base_mul(ct.beta, w), 0); /* holds no vote under any key the forger knows */
	assert_int_equal(point_base_mul(pf.br[0].A, a), 0);
	assert_int_equal(point_base_mul(pf.br[0].B, w), 0);
	range_challenge(pf.br[0].c, &b, 0, 0, &ct, pf.br, lo, hi);
	scalar_mul(t, pf.br[0].c, rr);
	scalar_add(pf.br[0].z, a, t); /* z = a + c r: zG = A + c alpha */
	assert_int_equal(scalar_invert(zinv, pf.br[0].z), 0);
	assert_int_equal(point_small_base(G1, 1), 0);
	assert_int_equal(point_sub(t, ct.beta, G1), 0);
	assert_int_equal(point_mul(t, pf.br[0].c, t), 0);
	assert_int_equal(point_add(t, pf.br[0].B, t), 0);
	assert_int_equal(point_mul(K2, zinv, t), 0); /* K' = z^-1 (B + c (beta - G)) */
	assert_int_equal(branch_holds(&pf.br[0], 1, &ct, K2), 0);
	b2 = b;
	memcpy(b2.K, K2, 32);
	assert_int_equal(range_verify(&pf, &b2, 0, 0, &ct, lo, hi), -1);
	urna_batch *bt = batch_new(K2);
	uint64_t bad[2];
	size_t nbad;
	IGNORE(range_batch_add(bt, 1, &pf, &b2, 0, 0, &ct, lo, hi));
	assert_int_equal(batch_verify(bt, bad, 2, &nbad), -1);
	batch_free(bt);
	/* What refuses it is the challenge alone: under K' it is another one. */
	range_challenge(t, &b2, 0, 0, &ct, pf.br, lo, hi);
	assert_memory_not_equal(t, pf.br[0].c, 32);
}

/* s.6, s.11: ballot signatures, bound to h_R, h_E, K and X. */
static void test_signature(void **state)
{
	(void)state;
	urna_schnorr sig;
	urna_bind b;
	uint8_t msg[32];
	bind(&b);
	hash32(msg, "unsigned ballot", 15);
	assert_int_equal(sig_sign(&sig, &b, msg, x_cred), 0);
	assert_int_equal(sig_verify(&sig, &b, msg), 0);
	urna_batch *bt = batch_new(K);
	uint64_t bad[2];
	size_t nbad;
	assert_int_equal(sig_batch_add(bt, 7, &sig, &b, msg), 0);
	assert_int_equal(batch_verify(bt, bad, 2, &nbad), 0);
	for (int field = 0; field < 7; field++) {
		urna_schnorr t = sig;
		urna_bind tb = b;
		uint8_t tm[32];
		memcpy(tm, msg, 32);
		switch (field) {
		case 0: bump_point(t.A); break;
		case 1: bump_scalar(t.z); break;
		case 2: tb.h_E[0] ^= 1; break;
		case 3: bump_point(tb.X); break;
		case 4: tm[31] ^= 0x80; break;
		case 5: tb.h_R[7] ^= 2; break; /* another referendum: only the challenge sees it */
		case 6: bump_point(tb.K); break; /* another election key: likewise */
		}
		assert_int_equal(sig_verify(&t, &tb, tm), -1);
		batch_clear(bt);
		IGNORE(sig_batch_add(bt, 7, &t, &tb, tm));
		assert_int_equal(batch_verify(bt, bad, 2, &nbad), -1);
		assert_int_equal(nbad, 1);
		assert_int_equal(bad[0], 7);
	}
	/* z + l holds mod l but is not canonical. */
	urna_schnorr t = sig;
	add_order(t.z);
	assert_int_equal(sig_verify(&t, &b, msg), -1);
	batch_clear(bt);
	IGNORE(sig_batch_add(bt, 7, &t, &b, msg));
	assert_int_equal(batch_verify(bt, bad, 2, &nbad), -1);
	/* The identity is not a credential: under it anyone can sign. */
	urna_bind ob = b;
	memset(ob.X, 0, 32);
	forge_for_identity(t.A, t.z);
	assert_int_equal(sig_verify(&t, &ob, msg), -1);
	batch_clear(bt);
	IGNORE(sig_batch_add(bt, 7, &t, &ob, msg));
	assert_int_equal(batch_verify(bt, bad, 2, &nbad), -1);
	assert_int_equal(nbad, 1);
	batch_free(bt);
}

/* s.9: every equation has its own random weight, so errors that cancel in
 * a plain sum (one signature's z one too high, another's one too low) do
 * not cancel in the batch; both items are named. */
static void test_batch_weights(void **state)
{
	(void)state;
	urna_schnorr hi, lo;
	uint8_t msg[32], one[32];
	uint64_t bad[2];
	size_t nbad;
	urna_bind b;
	bind(&b);
	hash32(msg, "unsigned ballot", 15);
	assert_int_equal(sig_sign(&hi, &b, msg, x_cred), 0);
	assert_int_equal(sig_sign(&lo, &b, msg, x_cred), 0);
	scalar_from_u64(one, 1);
	scalar_add(hi.z, hi.z, one);
	scalar_sub(lo.z, lo.z, one);
	urna_batch *bt = batch_new(K);
	assert_non_null(bt);
	assert_int_equal(sig_batch_add(bt, 1, &hi, &b, msg), 0);
	assert_int_equal(sig_batch_add(bt, 2, &lo, &b, msg), 0);
	assert_int_equal(batch_verify(bt, bad, 2, &nbad), -1);
	assert_int_equal(nbad, 2);
	assert_int_equal(bad[0], 1);
	assert_int_equal(bad[1], 2);
	batch_free(bt);
}

/* s.4, s.11: trustee proofs of knowledge, bound to h_R, the index, every
 * commitment and the box key: a dealer's real proof does not carry another
 * higher commitment or another box key (the DKG's a_0 is proven, the rest
 * was swappable under it in version 1). */
static void test_pok(void **state)
{
	(void)state;
	enum { T = 3 };
	uint8_t a[T][32], C[T][32], box[32], bsk[32];
	urna_schnorr pf;
	for (int k = 0; k < T; k++) {
		scalar_random(a[k]);
		assert_int_equal(point_base_mul(C[k], a[k]), 0);
	}
	crypto_box_keypair(box, bsk);
	assert_int_equal(pok_prove(&pf, h_R, 2, (const uint8_t(*)[32])C, T, box, a[0]), 0);
	assert_int_equal(pok_verify(&pf, h_R, 2, (const uint8_t(*)[32])C, T, box), 0);
	for (int field = 0; field < 9; field++) {
		urna_schnorr t = pf;
		uint8_t th[32], tC[T][32], tb[32];
		uint32_t i = 2, n = T;
		memcpy(th, h_R, 32);
		memcpy(tC, C, sizeof tC);
		memcpy(tb, box, 32);
		switch (field) {
		case 0: bump_point(t.A); break;
		case 1: bump_scalar(t.z); break;
		case 2: th[3] ^= 4; break;
		case 3: bump_point(tC[0]); break;
		case 4: i = 3; break;
		case 5: bump_point(tC[1]); break;  /* a higher commitment swapped */
		case 6: bump_point(tC[T - 1]); break;
		case 7: tb[0] ^= 1; break;         /* another box key */
		case 8: n = T - 1; break;          /* one commitment fewer */
		}
		assert_int_equal(pok_verify(&t, th, i, (const uint8_t(*)[32])tC, n, tb), -1);
	}
	urna_schnorr t = pf;
	add_order(t.z);
	assert_int_equal(pok_verify(&t, h_R, 2, (const uint8_t(*)[32])C, T, box), -1);
	/* No proof for the identity as a trustee's key. */
	uint8_t O[T][32] = {{0}};
	forge_for_identity(t.A, t.z);
	assert_int_equal(pok_verify(&t, h_R, 2, (const uint8_t(*)[32])O, 1, box), -1);
	/* t = n: one commitment, still bound to the box key. */
	assert_int_equal(pok_prove(&pf, h_R, 1, (const uint8_t(*)[32])C, 1, box, a[0]), 0);
	assert_int_equal(pok_verify(&pf, h_R, 1, (const uint8_t(*)[32])C, 1, box), 0);
	box[31] ^= 0x10;
	assert_int_equal(pok_verify(&pf, h_R, 1, (const uint8_t(*)[32])C, 1, box), -1);
	/* Counts outside 1..URNA_MAX_COMMIT are refused. */
	assert_int_equal(pok_prove(&pf, h_R, 1, (const uint8_t(*)[32])C, 0, box, a[0]), -1);
	assert_true(sodium_is_zero((const uint8_t *)&pf, sizeof pf));
	assert_int_equal(pok_verify(&t, h_R, 1, (const uint8_t(*)[32])C, 0, box), -1);
}

static void dec_bind(urna_dec_bind *b, uint32_t j, const uint8_t X[32])
{
	memcpy(b->h_R, h_R, 32);
	memcpy(b->h_E, h_E, 32);
	memcpy(b->K, K, 32);
	b->j = j;
	memcpy(b->X_j, X, 32);
}

/* s.8, s.11: partial decryptions with Chaum-Pedersen proofs, bound to h_R,
 * h_E, K, j, X_j and the whole ciphertext. */
static void test_cp(void **state)
{
	(void)state;
	uint8_t x[32], X[32], D[32], r[32];
	urna_ct ct;
	urna_cp pf;
	urna_dec_bind b;
	scalar_random(x);
	scalar_random(r);
	assert_int_equal(point_base_mul(X, x), 0);
	assert_int_equal(point_base_mul(ct.alpha, r), 0);
	assert_int_equal(point_base_mul(ct.beta, x), 0);
	dec_bind(&b, 4, X);
	assert_int_equal(cp_decrypt(D, &pf, &b, &ct, x), 0);
	assert_int_equal(cp_verify(&pf, &b, &ct, D), 0);
	uint8_t want[32];
	assert_int_equal(point_mul(want, x, ct.alpha), 0);
	assert_memory_equal(D, want, 32);
	for (int field = 0; field < 11; field++) {
		urna_cp t = pf;
		urna_dec_bind tb = b;
		urna_ct tc = ct;
		uint8_t tD[32];
		memcpy(tD, D, 32);
		switch (field) {
		case 0: bump_point(t.U); break;
		case 1: bump_point(t.V); break;
		case 2: bump_scalar(t.z); break;
		case 3: tb.h_E[0] ^= 1; break;
		case 4: tb.j = 5; break;
		case 5: bump_point(tc.alpha); break;
		case 6: bump_point(tD); break;
		case 7: bump_point(tb.X_j); break;
		case 8: tb.h_R[9] ^= 1; break;   /* another referendum: only the challenge sees it */
		case 9: bump_point(tb.K); break; /* another election key: likewise */
		case 10: bump_point(tc.beta); break; /* another ciphertext with the same alpha: likewise */
		}
		assert_int_equal(cp_verify(&t, &tb, &tc, tD), -1);
	}
	urna_cp t = pf;
	add_order(t.z);
	assert_int_equal(cp_verify(&t, &b, &ct, D), -1);
	/* The identity as a trustee's key: D = 0 A, U = wG, V = wA, z = w
	 * would hold. */
	uint8_t O[32] = {0};
	urna_dec_bind ob = b;
	memset(ob.X_j, 0, 32);
	forge_for_identity(t.U, t.z);
	assert_int_equal(point_mul(t.V, t.z, ct.alpha), 0);
	assert_int_equal(cp_verify(&t, &ob, &ct, O), -1);
	/* No ballots: the ciphertext is the identity, and so is D. */
	urna_ct none;
	memset(&none, 0, sizeof none);
	assert_int_equal(cp_decrypt(D, &pf, &b, &none, x), 0);
	assert_true(sodium_is_zero(D, 32));
	assert_int_equal(cp_verify(&pf, &b, &none, D), 0);
}

/* s.11 (version 2): the decryption challenge hashes X_j. Without it, a
 * trustee could publish a wrong D (here D = dA for a d of its choice) with
 * a proof that holds for a verification key chosen after the challenge:
 * U = uG, V = vA with v != u, z = v + c d, X' = c^-1 (zG - U). Then zG =
 * U + c X' and zA = V + c D hold (checked by hand), D != x' A, and the
 * verifier refuses it because its challenge under X' is another one. */
static void test_cp_key_after_challenge(void **state)
{
	(void)state;
	uint8_t rr[32], d[32], u[32], v[32], cinv[32], t[32], X2[32], D[32], P[32], Q[32];
	urna_ct ct;
	urna_cp pf;
	urna_dec_bind b;
	scalar_random(rr);
	scalar_random(d);
	scalar_random(u);
	scalar_random(v);
	assert_int_equal(point_base_mul(ct.alpha, rr), 0);
	assert_int_equal(point_base_mul(ct.beta, rr), 0);
	assert_int_equal(point_mul(D, d, ct.alpha), 0);
	assert_int_equal(point_base_mul(pf.U, u), 0);
	assert_int_equal(point_mul(pf.V, v, ct.alpha), 0);
	dec_bind(&b, 2, X_cred); /* any X_j: the challenge is taken before X' exists */
	uint8_t c[32];
	cp_challenge(c, &b, &ct, D, pf.U, pf.V);
	scalar_mul(t, c, d);
	scalar_add(pf.z, v, t); /* z = v + c d: zA = V + c D */
	assert_int_equal(scalar_invert(cinv, c), 0);
	assert_int_equal(point_base_mul(t, pf.z), 0);
	assert_int_equal(point_sub(t, t, pf.U), 0);
	assert_int_equal(point_mul(X2, cinv, t), 0); /* X' = c^-1 (zG - U) */
	/* Both equations hold with c: zG = U + c X', zA = V + c D. */
	assert_int_equal(point_base_mul(P, pf.z), 0);
	assert_int_equal(point_mul(Q, c, X2), 0);
	assert_int_equal(point_add(Q, pf.U, Q), 0);
	assert_memory_equal(P, Q, 32);
	assert_int_equal(point_mul(P, pf.z, ct.alpha), 0);
	assert_int_equal(point_mul(Q, c, D), 0);
	assert_int_equal(point_add(Q, pf.V, Q), 0);
	assert_memory_equal(P, Q, 32);
	memcpy(b.X_j, X2, 32);
	assert_int_equal(cp_verify(&pf, &b, &ct, D), -1);
	cp_challenge(t, &b, &ct, D, pf.U, pf.V);
	assert_memory_not_equal(t, c, 32);
}

/* s.6, s.14: a question's sum proof over m choices (min..max) checked with
 * range_batch_add_sum agrees with range_verify on the summed ciphertext,
 * and a changed choice ciphertext or sum branch fails it. */
static void test_sum_proof(void **state)
{
	(void)state;
	enum { M = 4 };
	static const uint32_t votes[M] = {1, 0, 1, 0};
	urna_ct ct[M], sum;
	uint8_t r[M][32], R[32] = {0};
	urna_range pf;
	urna_bind b;
	for (int k = 0; k < M; k++) {
		assert_int_equal(elgamal_encrypt(&ct[k], r[k], K, votes[k]), 0);
		scalar_add(R, R, r[k]);
	}
	sum = ct[0];
	for (int k = 1; k < M; k++)
		assert_int_equal(ct_add(&sum, &sum, &ct[k]), 0);
	bind(&b);
	assert_int_equal(range_prove(&pf, &b, 2, URNA_SUM_CHOICE, &sum, R, 2, 0, 3), 0);
	assert_int_equal(range_verify(&pf, &b, 2, URNA_SUM_CHOICE, &sum, 0, 3), 0);
	for (int t = 0; t < 4; t++) {
		urna_range tp = pf;
		urna_ct tc[M];
		memcpy(tc, ct, sizeof tc);
		if (t == 1)
			bump_point(tc[2].beta);
		if (t == 2)
			bump_scalar(tp.br[3].z);
		if (t == 3)
			bump_point(tc[0].alpha);
		urna_batch *bt = batch_new(K);
		uint64_t bad[2];
		size_t nbad;
		IGNORE(range_batch_add_sum(bt, 1, &tp, &b, 2, tc, M, 0, 3));
		assert_int_equal(batch_verify(bt, bad, 2, &nbad), t == 0 ? 0 : -1);
		batch_free(bt);
	}
	/* The wrong number of choices. */
	urna_batch *bt = batch_new(K);
	uint64_t bad[2];
	size_t nbad;
	IGNORE(range_batch_add_sum(bt, 1, &pf, &b, 2, ct, M - 1, 0, 3));
	assert_int_equal(batch_verify(bt, bad, 2, &nbad), -1);
	batch_free(bt);
}

/* ---- yes/no ballots in binary form (the JSON form is src/record's) ---- */

typedef struct {
	uint8_t X[32];
	urna_ct ct[2];
	urna_range pf[2];
	urna_range sum;
	urna_schnorr sig;
} yn_ballot;

static void yn_encrypt(yn_ballot *b, int yes)
{
	uint8_t r[2][32], R[32], msg[32];
	urna_ct sum;
	urna_bind bd;
	memcpy(b->X, X_cred, 32);
	bind(&bd);
	for (uint32_t k = 0; k < 2; k++) {
		uint32_t v = (uint32_t)(yes ? k == 0 : k == 1);
		assert_int_equal(elgamal_encrypt(&b->ct[k], r[k], K, v), 0);
		assert_int_equal(range_prove(&b->pf[k], &bd, 0, k, &b->ct[k], r[k], v, 0, 1), 0);
	}
	scalar_add(R, r[0], r[1]);
	assert_int_equal(ct_add(&sum, &b->ct[0], &b->ct[1]), 0);
	assert_int_equal(range_prove(&b->sum, &bd, 0, URNA_SUM_CHOICE, &sum, R, 1, 1, 1), 0);
	hash32(msg, b, offsetof(yn_ballot, sig));
	assert_int_equal(sig_sign(&b->sig, &bd, msg, x_cred), 0);
}

static int yn_add(urna_batch *bt, uint64_t item, const yn_ballot *b)
{
	uint8_t msg[32];
	urna_bind bd;
	int rc = 0;
	bind(&bd);
	memcpy(bd.X, b->X, 32);
	for (uint32_t k = 0; k < 2; k++)
		rc |= range_batch_add(bt, item, &b->pf[k], &bd, 0, k, &b->ct[k], 0, 1);
	rc |= range_batch_add_sum(bt, item, &b->sum, &bd, 0, b->ct, 2, 1, 1);
	hash32(msg, b, offsetof(yn_ballot, sig));
	rc |= sig_batch_add(bt, item, &b->sig, &bd, msg);
	return rc;
}

/* The single checks of a ballot, without batches. */
static int yn_verify_single(const yn_ballot *b)
{
	uint8_t msg[32];
	urna_bind bd;
	urna_ct sum;
	bind(&bd);
	memcpy(bd.X, b->X, 32);
	for (uint32_t k = 0; k < 2; k++)
		if (range_verify(&b->pf[k], &bd, 0, k, &b->ct[k], 0, 1))
			return -1;
	if (ct_add(&sum, &b->ct[0], &b->ct[1]) || range_verify(&b->sum, &bd, 0, URNA_SUM_CHOICE, &sum, 1, 1))
		return -1;
	hash32(msg, b, offsetof(yn_ballot, sig));
	return sig_verify(&b->sig, &bd, msg);
}

#define NDISTINCT 24
static yn_ballot ballots[NDISTINCT];

static int setup_ballots(void **state)
{
	(void)state;
	for (int i = 0; i < NDISTINCT; i++)
		yn_encrypt(&ballots[i], i % 3 == 0);
	return 0;
}

/* s.6: a ballot's choices decrypt to the vote and its sum proof binds the
 * choices together; a ballot with both choices set fails the sum proof. */
static void test_ballot(void **state)
{
	(void)state;
	assert_int_equal(decrypt_small(&ballots[0].ct[0]), 1);
	assert_int_equal(decrypt_small(&ballots[0].ct[1]), 0);
	assert_int_equal(yn_verify_single(&ballots[0]), 0);
	/* Swap in a ciphertext of another ballot: proofs still valid alone,
	 * the sum proof and the signature are not. */
	yn_ballot t = ballots[0];
	t.ct[1] = ballots[1].ct[1];
	t.pf[1] = ballots[1].pf[1];
	assert_int_equal(yn_verify_single(&t), -1);
	urna_batch *bt = batch_new(K);
	uint64_t bad[2];
	size_t nbad;
	assert_int_equal(yn_add(bt, 9, &ballots[0]), 0);
	assert_int_equal(batch_verify(bt, bad, 2, &nbad), 0);
	batch_clear(bt);
	IGNORE(yn_add(bt, 9, &t));
	assert_int_equal(batch_verify(bt, bad, 2, &nbad), -1);
	assert_int_equal(nbad, 1);
	batch_free(bt);
}

/* s.9: batch and one-by-one agree on a mix of good and bad ballots, and the
 * batch names exactly the bad ones, whether they fail up front (a bad
 * challenge sum, a bad encoding) or only in the group check. */
static void test_batch_agrees(void **state)
{
	(void)state;
	enum { N = 60 };
	yn_ballot *b = malloc(sizeof *b * N);
	int want_bad[N] = {0};
	assert_non_null(b);
	for (int i = 0; i < N; i++) {
		b[i] = ballots[i % NDISTINCT];
		switch (i % 10) {
		case 3: bump_scalar(b[i].pf[1].br[0].z); want_bad[i] = 1; break;  /* group check */
		case 7: bump_scalar(b[i].sum.br[0].c); want_bad[i] = 1; break;    /* challenge sum */
		case 8: if (i == 18) { memset(b[i].pf[0].br[1].B, 0xff, 32); want_bad[i] = 1; } break;
		}
	}
	urna_batch *bt = batch_new(K);
	for (int i = 0; i < N; i++) {
		IGNORE(yn_add(bt, (uint64_t)i * 10, &b[i]));
		assert_int_equal(yn_verify_single(&b[i]), want_bad[i] ? -1 : 0);
	}
	uint64_t bad[N];
	size_t nbad, k = 0;
	assert_int_equal(batch_verify(bt, bad, N, &nbad), -1);
	for (int i = 0; i < N; i++)
		if (want_bad[i]) {
			assert_true(k < nbad);
			assert_int_equal(bad[k++], (uint64_t)i * 10);
		}
	assert_int_equal(k, nbad);
	batch_free(bt);
	free(b);
}

/* s.9: thousands of ballots, one bad (then two): the batch fails and
 * bisection names exactly those. */
static void test_batch_bisect(void **state)
{
	(void)state;
	enum { N = 2500 };
	static const int bad_at[][2] = {{1234, -1}, {17, 2401}};
	for (size_t t = 0; t < 2; t++) {
		urna_batch *bt = batch_new(K);
		yn_ballot broken[2];
		int nb = 0;
		for (int i = 0; i < N; i++) {
			const yn_ballot *b = &ballots[i % NDISTINCT];
			if (i == bad_at[t][0] || i == bad_at[t][1]) {
				broken[nb] = *b;
				/* valid encodings and challenge sums: only the group check can tell */
				bump_scalar(broken[nb].sig.z);
				if (nb == 1)
					bump_scalar(broken[nb].pf[0].br[1].z);
				b = &broken[nb++];
			}
			assert_int_equal(yn_add(bt, (uint64_t)i, b), 0);
		}
		uint64_t bad[4];
		size_t nbad;
		assert_int_equal(batch_verify(bt, bad, 4, &nbad), -1);
		assert_int_equal(nbad, (size_t)nb);
		assert_int_equal(bad[0], (uint64_t)bad_at[t][0] < (uint64_t)(bad_at[t][1] < 0 ? N : bad_at[t][1]) ? (uint64_t)bad_at[t][0] : (uint64_t)bad_at[t][1]);
		if (nb == 2)
			assert_int_equal(bad[1], 2401);
		batch_free(bt);
	}
}

/* s.9: one batch per thread. */
struct job { int ok; uint64_t base; };
static void *verify_job(void *arg)
{
	struct job *j = arg;
	urna_batch *bt = batch_new(K);
	uint64_t bad[2];
	size_t nbad;
	for (int i = 0; i < 200; i++)
		if (yn_add(bt, j->base + (uint64_t)i, &ballots[i % NDISTINCT]))
			return NULL;
	j->ok = batch_verify(bt, bad, 2, &nbad) == 0;
	batch_free(bt);
	return NULL;
}

static void test_batch_threads(void **state)
{
	(void)state;
	pthread_t th[4];
	struct job jobs[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct job){0, (uint64_t)i * 1000};
		assert_int_equal(pthread_create(&th[i], NULL, verify_job, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_true(jobs[i].ok);
	}
}

/* s.9: items marked failed up front are reported without group work, and
 * an empty batch holds. */
static void test_batch_misc(void **state)
{
	(void)state;
	urna_batch *bt = batch_new(K);
	uint64_t bad[4];
	size_t nbad;
	assert_int_equal(batch_verify(bt, bad, 4, &nbad), 0);
	batch_fail(bt, 5);
	assert_int_equal(yn_add(bt, 6, &ballots[0]), 0);
	batch_fail(bt, 3);
	assert_int_equal(batch_items(bt), 3);
	assert_int_equal(batch_verify(bt, bad, 4, &nbad), -1);
	assert_int_equal(nbad, 2);
	assert_int_equal(bad[0], 3);
	assert_int_equal(bad[1], 5);
	/* bad_cap smaller than the number of bad items */
	assert_int_equal(batch_verify(bt, bad, 1, &nbad), -1);
	assert_int_equal(nbad, 2);
	batch_free(bt);
	uint8_t bad_K[32];
	memset(bad_K, 0xff, 32);
	assert_null(batch_new(bad_K));
}

int main(void)
{
	if (crypto_setup() != 0)
		return 1;
	scalar_random(k_sec);
	if (point_base_mul(K, k_sec) != 0)
		return 1;
	hash32(h_E, "{\"id\":\"north\"}", 14);
	hash32(h_R, "referendum", 10);
	if (credential_keys(x_cred, X_cred, "demo", "north", "AAAQEAYEAUDAOCAJBIFQYDIOB7AWQFSW") != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elgamal),
		cmocka_unit_test(test_range_honest),
		cmocka_unit_test(test_range_refuses),
		cmocka_unit_test(test_range_tamper),
		cmocka_unit_test(test_packed),
		cmocka_unit_test(test_packed_unallowed),
		cmocka_unit_test(test_range_key_after_challenge),
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_pok),
		cmocka_unit_test(test_cp),
		cmocka_unit_test(test_cp_key_after_challenge),
		cmocka_unit_test(test_sum_proof),
		cmocka_unit_test(test_ballot),
		cmocka_unit_test(test_batch_agrees),
		cmocka_unit_test(test_batch_bisect),
		cmocka_unit_test(test_batch_threads),
		cmocka_unit_test(test_batch_misc),
		cmocka_unit_test(test_batch_weights),
	};
	return cmocka_run_group_tests(tests, setup_ballots, NULL);
}
