/* proof.c: exponential ElGamal, range proofs, signatures, proofs of
 * knowledge and decryption proofs (PROTOCOL.md s.4, s.6, s.8; the
 * challenges' transcripts are docs/protocol.md s.11, version 2).
 *
 * Provers use libsodium (constant time) and never branch on a secret: every
 * branch of a range proof is computed the same way (see range_prove).
 * Verifiers are variable time (libdecaf): single checks are batches of one. */
#include <sodium.h>
#include <string.h>
#include "crypto/batch_int.h"
#include "crypto/hash.h"
#include "crypto/proof.h"

/* (rG, rK + vG) of the point vG (secret), which it wipes. */
static int encrypt_point(urna_ct *ct, const uint8_t r[static 32], const uint8_t K[static 32], uint8_t vG[static 32])
{
	uint8_t rK[32];
	int rc = -1;
	if (point_base_mul(ct->alpha, r) != 0 || point_mul(rK, r, K) != 0 || point_add(ct->beta, rK, vG) != 0)
		goto out;
	rc = 0;
out:
	sodium_memzero(rK, sizeof rK);
	sodium_memzero(vG, 32);
	if (rc)
		sodium_memzero(ct, sizeof *ct);
	return rc;
}

int elgamal_encrypt_with(urna_ct *ct, const uint8_t r[static 32], const uint8_t K[static 32], uint32_t v)
{
	uint8_t vG[32];
	if (point_small_base_ct(vG, v) != 0) {
		sodium_memzero(vG, sizeof vG);
		sodium_memzero(ct, sizeof *ct);
		return -1;
	}
	return encrypt_point(ct, r, K, vG);
}

int elgamal_encrypt(urna_ct *ct, uint8_t r_out[static 32], const uint8_t K[static 32], uint32_t v)
{
	scalar_random(r_out);
	if (elgamal_encrypt_with(ct, r_out, K, v) != 0) {
		sodium_memzero(r_out, 32);
		return -1;
	}
	return 0;
}

/* 0xff when a == b, else 0, without a branch. */
static uint8_t eq_mask(uint32_t a, uint32_t b)
{
	uint32_t x = a ^ b;
	return (uint8_t)(((x | (0u - x)) >> 31) - 1);
}

/* vals[0..n) strictly ascending, 1 <= n <= URNA_MAX_PACKED. */
static int packed_vals_ok(const uint64_t *vals, uint32_t n)
{
	if (n < 1 || n > URNA_MAX_PACKED)
		return 0;
	for (uint32_t i = 1; i < n; i++)
		if (vals[i] <= vals[i - 1])
			return 0;
	return 1;
}

int packed_encrypt(urna_ct *ct, const uint8_t r[static 32], const uint8_t K[static 32], const uint64_t *vals,
                   uint32_t n, uint32_t idx)
{
	uint8_t vG[32], P[32];
	memset(vG, 0, sizeof vG);
	if (!packed_vals_ok(vals, n) || idx >= n)
		goto bad;
	/* Every allowed vG is public; the one of index idx is selected without
	 * a secret-dependent branch or index (vals[idx]'s size is the secret:
	 * M > 64 is not in the small table, 0 and 1 are). */
	for (uint32_t i = 0; i < n; i++) {
		if (point_small_base(P, vals[i]) != 0)
			goto bad;
		scalar_cmov(vG, P, eq_mask(i, idx));
	}
	return encrypt_point(ct, r, K, vG);
bad:
	sodium_memzero(vG, sizeof vG);
	sodium_memzero(ct, sizeof *ct);
	return -1;
}

int ct_add(urna_ct *out, const urna_ct *a, const urna_ct *b)
{
	vt_point x, y;
	if (vt_decode(&x, a->alpha) || vt_decode(&y, b->alpha))
		goto fail;
	vt_add(&x, &x, &y);
	vt_encode(out->alpha, &x);
	if (vt_decode(&x, a->beta) || vt_decode(&y, b->beta))
		goto fail;
	vt_add(&x, &x, &y);
	vt_encode(out->beta, &x);
	return 0;
fail:
	memset(out, 0, sizeof *out);
	return -1;
}

/* A voter's statement, the start of every challenge that binds one:
 * tag, G, K, h_R, h_E, X (s.11.1). */
static void bind_start(urna_hash *h, const char *tag, const urna_bind *b)
{
	hash_init(h, tag);
	hash_add(h, urna_small_base[1], 32); /* G */
	hash_add(h, b->K, 32);
	hash_add(h, b->h_R, 32);
	hash_add(h, b->h_E, 32);
	hash_add(h, b->X, 32);
}

/* One disjunctive statement: ct encrypts one of vals[0..n). A range
 * (range/2: a choice's 0..1 or a question's sum min..max, vals = lo..hi) or
 * a packed question (packed/2: vals as given). */
typedef struct {
	int packed;
	uint32_t question, choice, lo, hi; /* choice, lo, hi: a range's */
	uint32_t n;
	uint64_t vals[URNA_MAX_RANGE];
} stmt;

/* 0, or -1 when lo..hi has no branch or too many. */
static int range_stmt(stmt *st, uint32_t question, uint32_t choice, uint32_t lo, uint32_t hi)
{
	memset(st, 0, sizeof *st);
	if (hi < lo || hi - lo >= URNA_MAX_RANGE)
		return -1;
	st->question = question, st->choice = choice, st->lo = lo, st->hi = hi;
	st->n = hi - lo + 1;
	for (uint32_t i = 0; i < st->n; i++)
		st->vals[i] = lo + i;
	return 0;
}

/* 0, or -1 unless vals[0..n) is strictly ascending with 1 <= n <= URNA_MAX_PACKED. */
static int packed_stmt(stmt *st, uint32_t question, const uint64_t *vals, uint32_t n)
{
	memset(st, 0, sizeof *st);
	if (!packed_vals_ok(vals, n))
		return -1;
	st->packed = 1;
	st->question = question;
	st->n = n;
	memcpy(st->vals, vals, n * sizeof *vals);
	return 0;
}

/* The start every challenge of one kind (0 range/2, 1 packed/2) of one
 * ballot shares: the tag and G, K, h_R, h_E, X, hashed once per binding and
 * remembered per thread for the last binding (public data), so a ballot's
 * challenges after its first hash only what is their own. */
static void stmt_start(urna_hash *h, int packed, const urna_bind *b)
{
	static _Thread_local urna_bind last[2];
	static _Thread_local urna_hash start[2];
	static _Thread_local int have[2];
	if (!have[packed] || memcmp(&last[packed], b, sizeof *b)) {
		bind_start(&start[packed], packed ? "packed/2" : "range/2", b);
		memcpy(&last[packed], b, sizeof *b);
		have[packed] = 1;
	}
	*h = start[packed];
}

/* range/2: c = Hs("range/2", G, K, h_R, h_E, X, u32 question, u32 choice,
 * u32 lo, u32 hi, alpha, beta, A_lo, B_lo, ..., A_hi, B_hi);
 * packed/2: c = Hs("packed/2", G, K, h_R, h_E, X, u32 question, u32 n,
 * u64 v_0, ..., u64 v_(n-1), alpha, beta, A_0, B_0, ..., A_(n-1), B_(n-1)). */
static void stmt_challenge(uint8_t c[static 32], const urna_bind *b, const stmt *st, const urna_ct *ct,
                           const urna_branch *br)
{
	urna_hash h;
	stmt_start(&h, st->packed, b);
	hash_add_u32(&h, st->question);
	if (st->packed) {
		hash_add_u32(&h, st->n);
		for (uint32_t i = 0; i < st->n; i++)
			hash_add_u64(&h, st->vals[i]);
	} else {
		hash_add_u32(&h, st->choice);
		hash_add_u32(&h, st->lo);
		hash_add_u32(&h, st->hi);
	}
	hash_add(&h, ct->alpha, 32);
	hash_add(&h, ct->beta, 32);
	for (uint32_t i = 0; i < st->n; i++) {
		hash_add(&h, br[i].A, 32);
		hash_add(&h, br[i].B, 32);
	}
	hash_final_scalar(&h, c);
}

void range_challenge(uint8_t c[static 32], const urna_bind *b, uint32_t question, uint32_t choice,
                     const urna_ct *ct, const urna_branch *br, uint32_t lo, uint32_t hi)
{
	stmt st;
	if (range_stmt(&st, question, choice, lo, hi) != 0) { /* callers check lo..hi: no branch hashed */
		st.question = question, st.choice = choice, st.lo = lo, st.hi = hi;
	}
	stmt_challenge(c, b, &st, ct, br);
}

void packed_challenge(uint8_t c[static 32], const urna_bind *b, uint32_t question, const urna_ct *ct,
                      const urna_branch *br, const uint64_t *vals, uint32_t n)
{
	stmt st;
	if (packed_stmt(&st, question, vals, n) != 0) { /* callers check vals: none hashed */
		st.packed = 1;
		st.question = question;
	}
	stmt_challenge(c, b, &st, ct, br);
}

/* Every branch i (value j = vals[i]) draws t_i and c_i and commits
 *   A_i = t_i G,  B_i = t_i K + c_i (j - v) G,
 * which for j != v is the simulated commitment with z_i = t_i + c_i r, and
 * for j = v is the honest one (B_v = t_v K) whatever c_v. After hashing, the
 * branch v takes c_v = c - sum of the others (selected in constant time)
 * and every branch answers z_i = t_i + c_i r. So the work and the memory
 * accesses are the same for every v. B_i is computed as
 * t_i (K - G) + (t_i + c_i (j - v)) G so that no multiplication has a
 * zero scalar (libsodium reports those through a branch). */
/* K - G, remembered per thread for the last K (public data). */
static int k_minus_g(uint8_t KmG[static 32], const uint8_t K[static 32])
{
	static _Thread_local uint8_t last_K[32], last_KmG[32];
	static _Thread_local int have;
	if (have && !memcmp(last_K, K, 32)) {
		memcpy(KmG, last_KmG, 32);
		return 0;
	}
	if (point_sub(KmG, K, urna_small_base[1]) != 0)
		return -1;
	memcpy(last_K, K, 32);
	memcpy(last_KmG, KmG, 32);
	have = 1;
	return 0;
}

/* The prover of st knowing r, the true value being st->vals[idx] (idx is
 * the secret: no branch or memory index depends on it). rnd_in: the 2n
 * scalars t_0..t_(n-1), c_0..c_(n-1), or NULL to draw them here. */
static int oneof_prove(urna_range *pf, const urna_bind *b, const stmt *st, const urna_ct *ct,
                       const uint8_t r[static 32], uint32_t idx, const uint8_t (*rnd_in)[32])
{
	const uint8_t *K = b->K;
	uint8_t rnd[2 * URNA_MAX_RANGE][32], KmG[32], s[32], e[32], P[32], Q[32], c[32], sum[32], cv[32], vs[32];
	uint8_t (*t)[32] = rnd; /* t_i; rnd[n + i] is c_i */
	uint32_t n = st->n;
	uint64_t v = 0;
	int rc = -1;
	memset(pf, 0, sizeof *pf);
	if (n < 1 || n > URNA_MAX_RANGE || idx >= n)
		goto out;
	if (k_minus_g(KmG, K) != 0)
		goto out;
	if (rnd_in)
		memcpy(rnd, rnd_in, 2 * n * 32);
	else
		scalars_random(rnd, 2 * n);
	for (uint32_t i = 0; i < n; i++) /* v = vals[idx] */
		v |= st->vals[i] & (0 - (uint64_t)(eq_mask(i, idx) & 1));
	scalar_from_u64(vs, v);
	for (uint32_t i = 0; i < n; i++) {
		urna_branch *br = &pf->br[i];
		memcpy(br->c, rnd[n + i], 32);
		scalar_from_u64(s, st->vals[i]);
		scalar_sub(s, s, vs);        /* j - v */
		scalar_mul(e, br->c, s);     /* c_i (j - v) */
		scalar_add(e, e, t[i]);      /* t_i + c_i (j - v) */
		if (point_base_mul(br->A, t[i]) != 0)
			goto out;
		if (n == 1) { /* one branch: v is public, B = t K */
			if (point_mul(br->B, t[i], K) != 0)
				goto out;
		} else if (point_mul(P, t[i], KmG) != 0 || point_base_mul(Q, e) != 0 ||
		           point_add(br->B, P, Q) != 0) {
			goto out;
		}
	}
	pf->lo = st->packed ? 0 : st->lo;
	pf->hi = st->packed ? n - 1 : st->hi;
	stmt_challenge(c, b, st, ct, pf->br);
	memset(sum, 0, 32);
	memset(cv, 0, 32);
	for (uint32_t i = 0; i < n; i++) {
		scalar_add(sum, sum, pf->br[i].c);
		scalar_cmov(cv, pf->br[i].c, eq_mask(i, idx));
	}
	scalar_sub(sum, sum, cv);   /* sum of the other branches */
	scalar_sub(cv, c, sum);     /* c_v */
	for (uint32_t i = 0; i < n; i++) {
		scalar_cmov(pf->br[i].c, cv, eq_mask(i, idx));
		scalar_mul(s, pf->br[i].c, r);
		scalar_add(pf->br[i].z, t[i], s);
	}
	rc = 0;
out:
	v = 0;
	sodium_memzero(rnd, sizeof rnd);
	sodium_memzero(sum, sizeof sum);
	sodium_memzero(s, sizeof s);
	sodium_memzero(e, sizeof e);
	sodium_memzero(cv, sizeof cv);
	sodium_memzero(vs, sizeof vs);
	sodium_memzero(P, sizeof P);
	sodium_memzero(Q, sizeof Q);
	if (rc)
		sodium_memzero(pf, sizeof *pf);
	return rc;
}

int range_prove_with(urna_range *pf, const urna_bind *b, uint32_t question, uint32_t choice, const urna_ct *ct,
                     const uint8_t r[static 32], uint32_t v, uint32_t lo, uint32_t hi, const uint8_t (*rnd)[32])
{
	stmt st;
	if (range_stmt(&st, question, choice, lo, hi) != 0 || v < lo || v > hi) {
		memset(pf, 0, sizeof *pf);
		return -1;
	}
	return oneof_prove(pf, b, &st, ct, r, v - lo, rnd);
}

int range_prove(urna_range *pf, const urna_bind *b, uint32_t question, uint32_t choice,
                const urna_ct *ct, const uint8_t r[static 32], uint32_t v, uint32_t lo,
                uint32_t hi)
{
	return range_prove_with(pf, b, question, choice, ct, r, v, lo, hi, NULL);
}

int packed_prove(urna_range *pf, const urna_bind *b, uint32_t question, const urna_ct *ct,
                 const uint8_t r[static 32], const uint64_t *vals, uint32_t n, uint32_t idx,
                 const uint8_t (*rnd)[32])
{
	stmt st;
	if (packed_stmt(&st, question, vals, n) != 0) {
		memset(pf, 0, sizeof *pf);
		return -1;
	}
	return oneof_prove(pf, b, &st, ct, r, idx, rnd);
}

/* The challenge check, then the equations of every branch i (value j =
 * st->vals[i]), written so that the commitments carry the coefficient +1
 * (their random weight stays 128 bits long in the MSM; -w mod l would be
 * full length):
 *   A_i + c_i alpha - z_i G = 0
 *   B_i + c_i beta - c_i j G - z_i K = 0
 * alpha (beta) is the sum of the m points of indices ia (ib) in the batch:
 * one point for a choice or a packed question, the choices' points for a
 * question's sum. */
static int oneof_equations(urna_batch *bt, uint64_t item, const urna_range *pf, const urna_bind *b,
                           const stmt *st, const urna_ct *ct, const uint32_t *ia, const uint32_t *ib, size_t m)
{
	const uint8_t *K = b->K;
	static const uint8_t one[32] = {1};
	uint8_t c[32], sum[32] = {0}, nz[32], s[32], j[32];
	uint32_t n = st->n;
	const uint8_t *bK = batch_K(bt);
	int useK = bK && !memcmp(bK, K, 32);
	for (uint32_t i = 0; i < n; i++) {
		if (scalar_check(pf->br[i].c) || scalar_check(pf->br[i].z))
			return -1;
		scalar_add(sum, sum, pf->br[i].c);
	}
	stmt_challenge(c, b, st, ct, pf->br);
	if (sodium_memcmp(c, sum, 32) != 0)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		const urna_branch *br = &pf->br[i];
		scalar_neg(nz, br->z);
		batch_eq_begin(bt, item);
		if (batch_eq_point(bt, one, br->A) != 0)
			return -1;
		for (size_t k = 0; k < m; k++)
			batch_eq_idx(bt, br->c, ia[k]);
		batch_eq_G(bt, nz);
		batch_eq_begin(bt, item);
		if (batch_eq_point(bt, one, br->B) != 0)
			return -1;
		for (size_t k = 0; k < m; k++)
			batch_eq_idx(bt, br->c, ib[k]);
		if (st->vals[i]) {
			scalar_from_u64(j, st->vals[i]);
			scalar_mul(s, br->c, j);
			scalar_neg(s, s);
			batch_eq_G(bt, s);
		}
		if (useK)
			batch_eq_K(bt, nz);
		else if (batch_eq_point(bt, nz, K) != 0)
			return -1;
	}
	return 0;
}

/* pf has the statement's branches (a range's lo..hi as stated; a packed
 * proof as read, lo = 0 and hi = n - 1). */
static int branches_ok(const urna_range *pf, const stmt *st)
{
	return st->packed ? pf->lo == 0 && pf->hi == st->n - 1 : pf->lo == st->lo && pf->hi == st->hi;
}

/* Adds the one ciphertext ct's statement st with proof pf to bt under item. */
static int oneof_batch_add(urna_batch *bt, uint64_t item, const urna_range *pf, const urna_bind *b, const stmt *st,
                           const urna_ct *ct)
{
	uint32_t ia, ib;
	if (!branches_ok(pf, st) || batch_point(bt, &ia, ct->alpha) != 0 || batch_point(bt, &ib, ct->beta) != 0 ||
	    oneof_equations(bt, item, pf, b, st, ct, &ia, &ib, 1) != 0) {
		batch_fail(bt, item);
		return -1;
	}
	return 0;
}

int range_batch_add(struct urna_batch *bt, uint64_t item, const urna_range *pf,
                    const urna_bind *b, uint32_t question, uint32_t choice,
                    const urna_ct *ct, uint32_t lo, uint32_t hi)
{
	stmt st;
	batch_item(bt, item);
	if (range_stmt(&st, question, choice, lo, hi) != 0) {
		batch_fail(bt, item);
		return -1;
	}
	return oneof_batch_add(bt, item, pf, b, &st, ct);
}

int packed_batch_add(struct urna_batch *bt, uint64_t item, const urna_range *pf, const urna_bind *b,
                     uint32_t question, const urna_ct *ct, const uint64_t *vals, uint32_t n)
{
	stmt st;
	batch_item(bt, item);
	if (packed_stmt(&st, question, vals, n) != 0) {
		batch_fail(bt, item);
		return -1;
	}
	return oneof_batch_add(bt, item, pf, b, &st, ct);
}

int range_batch_add_sum(struct urna_batch *bt, uint64_t item, const urna_range *pf,
                        const urna_bind *b, uint32_t question, const urna_ct *cts, size_t m,
                        uint32_t lo, uint32_t hi)
{
	uint32_t ia[URNA_MAX_CHOICES], ib[URNA_MAX_CHOICES];
	vt_point A, B;
	urna_ct sum;
	stmt st;
	batch_item(bt, item);
	if (range_stmt(&st, question, URNA_SUM_CHOICE, lo, hi) != 0 || !branches_ok(pf, &st) || m == 0 ||
	    m > URNA_MAX_CHOICES)
		goto fail;
	decaf_255_point_copy(A.p, decaf_255_point_identity);
	decaf_255_point_copy(B.p, decaf_255_point_identity);
	for (size_t k = 0; k < m; k++) {
		if (batch_point(bt, &ia[k], cts[k].alpha) != 0)
			goto fail;
		vt_add(&A, &A, batch_point_get(bt, ia[k]));
		if (batch_point(bt, &ib[k], cts[k].beta) != 0)
			goto fail;
		vt_add(&B, &B, batch_point_get(bt, ib[k]));
	}
	/* The sums are needed encoded for the challenge only; in the equations
	 * their coefficients go to the choices' points. */
	vt_encode(sum.alpha, &A);
	vt_encode(sum.beta, &B);
	if (oneof_equations(bt, item, pf, b, &st, &sum, ia, ib, m) != 0)
		goto fail;
	return 0;
fail:
	batch_fail(bt, item);
	return -1;
}

/* A batch of one for the single checks. */
static int batch_of_one(const uint8_t K[static 32], int (*add)(urna_batch *, const void *), const void *arg)
{
	uint64_t bad;
	size_t nbad;
	int rc = -1;
	urna_batch *bt = batch_new(K);
	if (!bt)
		return -1;
	if (add(bt, arg) == 0 && batch_verify(bt, &bad, 1, &nbad) == 0)
		rc = 0;
	batch_free(bt);
	return rc;
}

typedef struct {
	const urna_range *pf;
	const urna_bind *b;
	uint32_t question, choice, lo, hi, n;
	const urna_ct *ct;
	const uint64_t *vals;
} one_args;

static int add_range(urna_batch *bt, const void *arg)
{
	const one_args *a = arg;
	return range_batch_add(bt, 0, a->pf, a->b, a->question, a->choice, a->ct, a->lo, a->hi);
}

static int add_packed(urna_batch *bt, const void *arg)
{
	const one_args *a = arg;
	return packed_batch_add(bt, 0, a->pf, a->b, a->question, a->ct, a->vals, a->n);
}

int range_verify(const urna_range *pf, const urna_bind *b, uint32_t question, uint32_t choice,
                 const urna_ct *ct, uint32_t lo, uint32_t hi)
{
	one_args a = {.pf = pf, .b = b, .question = question, .choice = choice, .lo = lo, .hi = hi, .ct = ct};
	return batch_of_one(b->K, add_range, &a);
}

int packed_verify(const urna_range *pf, const urna_bind *b, uint32_t question, const urna_ct *ct,
                  const uint64_t *vals, uint32_t n)
{
	one_args a = {.pf = pf, .b = b, .question = question, .ct = ct, .vals = vals, .n = n};
	return batch_of_one(b->K, add_packed, &a);
}

int credential_keys(uint8_t x[static 32], uint8_t X[static 32], const char *referendum,
                    const char *region, const char *normalised)
{
	urna_hash h;
	hash_init(&h, "credential");
	hash_add_str(&h, referendum);
	hash_add_str(&h, region);
	hash_add_str(&h, normalised);
	hash_final_scalar(&h, x);
	if (scalar_is_zero(x) || point_base_mul(X, x) != 0) {
		sodium_memzero(x, 32);
		memset(X, 0, 32);
		return -1;
	}
	return 0;
}

/* ---- Schnorr: signatures and proofs of knowledge ---- */

/* c = Hs("signature/2", G, K, h_R, h_E, X, msg, A). */
void sig_challenge(uint8_t c[static 32], const urna_bind *b, const uint8_t msg[static 32],
                   const uint8_t A[static 32])
{
	urna_hash h;
	bind_start(&h, "signature/2", b);
	hash_add(&h, msg, 32);
	hash_add(&h, A, 32);
	hash_final_scalar(&h, c);
}

/* c = Hs("pok/2", G, h_R, u32 i, u32 ncommit, C_0, ..., C_(ncommit-1),
 * box_key, A). */
void pok_challenge(uint8_t c[static 32], const uint8_t h_R[static 32], uint32_t i, const uint8_t (*C)[32],
                   uint32_t ncommit, const uint8_t box_key[static 32], const uint8_t A[static 32])
{
	urna_hash h;
	hash_init(&h, "pok/2");
	hash_add(&h, urna_small_base[1], 32); /* G */
	hash_add(&h, h_R, 32);
	hash_add_u32(&h, i);
	hash_add_u32(&h, ncommit);
	for (uint32_t k = 0; k < ncommit; k++)
		hash_add(&h, C[k], 32);
	hash_add(&h, box_key, 32);
	hash_add(&h, A, 32);
	hash_final_scalar(&h, c);
}

/* z = w + c x with A = w G, given the challenge function's output c. */
static int schnorr_respond(urna_schnorr *pf, const uint8_t w[static 32], const uint8_t c[static 32],
                           const uint8_t x[static 32])
{
	uint8_t t[32];
	scalar_mul(t, c, x);
	scalar_add(pf->z, w, t);
	sodium_memzero(t, sizeof t);
	return 0;
}

/* 0 iff z G == A + c X (variable time). */
static int schnorr_check(const uint8_t A[static 32], const uint8_t z[static 32],
                         const uint8_t c[static 32], const uint8_t X[static 32])
{
	decaf_255_point_t Xp, Ap, R;
	decaf_255_scalar_t zs, nc;
	if (scalar_check(z) || decaf_255_point_decode(Xp, X, DECAF_TRUE) != DECAF_SUCCESS ||
	    decaf_255_point_decode(Ap, A, DECAF_TRUE) != DECAF_SUCCESS)
		return -1;
	decaf_255_scalar_decode_long(zs, z, 32);
	decaf_255_scalar_decode_long(nc, c, 32);
	decaf_255_scalar_sub(nc, decaf_255_scalar_zero, nc);
	decaf_255_base_double_scalarmul_non_secret(R, zs, Xp, nc); /* z G - c X */
	return decaf_255_point_eq(R, Ap) == DECAF_TRUE ? 0 : -1;
}

int sig_sign_with(urna_schnorr *sig, const urna_bind *b, const uint8_t msg[static 32], const uint8_t x[static 32],
                  const uint8_t w[static 32])
{
	uint8_t c[32];
	if (point_base_mul(sig->A, w) != 0) {
		memset(sig, 0, sizeof *sig);
		return -1;
	}
	sig_challenge(c, b, msg, sig->A);
	schnorr_respond(sig, w, c, x);
	return 0;
}

int sig_sign(urna_schnorr *sig, const urna_bind *b, const uint8_t msg[static 32],
             const uint8_t x[static 32])
{
	uint8_t w[32];
	scalar_random(w);
	int rc = sig_sign_with(sig, b, msg, x, w);
	sodium_memzero(w, sizeof w);
	return rc;
}

int sig_verify(const urna_schnorr *sig, const urna_bind *b, const uint8_t msg[static 32])
{
	uint8_t c[32];
	if (point_check_nonzero(b->X) != 0)
		return -1;
	sig_challenge(c, b, msg, sig->A);
	return schnorr_check(sig->A, sig->z, c, b->X);
}

int sig_batch_add(struct urna_batch *bt, uint64_t item, const urna_schnorr *sig,
                  const urna_bind *b, const uint8_t msg[static 32])
{
	static const uint8_t zero[32], one[32] = {1};
	uint8_t c[32], nz[32];
	batch_item(bt, item);
	if (scalar_check(sig->z) || !memcmp(b->X, zero, 32))
		goto fail;
	sig_challenge(c, b, msg, sig->A);
	/* A + c X - z G = 0 (A with coefficient +1, see oneof_equations). */
	scalar_neg(nz, sig->z);
	batch_eq_begin(bt, item);
	batch_eq_G(bt, nz);
	if (batch_eq_point(bt, one, sig->A) != 0 || batch_eq_point(bt, c, b->X) != 0)
		goto fail;
	return 0;
fail:
	batch_fail(bt, item);
	return -1;
}

int pok_prove(urna_schnorr *pf, const uint8_t h_R[static 32], uint32_t i, const uint8_t (*C)[32],
              uint32_t ncommit, const uint8_t box_key[static 32], const uint8_t a[static 32])
{
	uint8_t w[32], c[32];
	memset(pf, 0, sizeof *pf);
	if (ncommit < 1 || ncommit > URNA_MAX_COMMIT)
		return -1;
	scalar_random(w);
	if (point_base_mul(pf->A, w) != 0) {
		sodium_memzero(w, sizeof w);
		memset(pf, 0, sizeof *pf);
		return -1;
	}
	pok_challenge(c, h_R, i, C, ncommit, box_key, pf->A);
	schnorr_respond(pf, w, c, a);
	sodium_memzero(w, sizeof w);
	return 0;
}

int pok_verify(const urna_schnorr *pf, const uint8_t h_R[static 32], uint32_t i,
               const uint8_t (*C)[32], uint32_t ncommit, const uint8_t box_key[static 32])
{
	uint8_t c[32];
	if (ncommit < 1 || ncommit > URNA_MAX_COMMIT || point_check_nonzero(C[0]) != 0)
		return -1;
	pok_challenge(c, h_R, i, C, ncommit, box_key, pf->A);
	return schnorr_check(pf->A, pf->z, c, C[0]);
}

/* ---- Chaum-Pedersen decryption proofs ---- */

/* c = Hs("decrypt/2", G, K, h_R, h_E, u32 j, X_j, A, B, D, U, V) for the
 * ciphertext (A, B) = ct. */
void cp_challenge(uint8_t c[static 32], const urna_dec_bind *b, const urna_ct *ct, const uint8_t D[static 32],
                  const uint8_t U[static 32], const uint8_t V[static 32])
{
	urna_hash h;
	hash_init(&h, "decrypt/2");
	hash_add(&h, urna_small_base[1], 32); /* G */
	hash_add(&h, b->K, 32);
	hash_add(&h, b->h_R, 32);
	hash_add(&h, b->h_E, 32);
	hash_add_u32(&h, b->j);
	hash_add(&h, b->X_j, 32);
	hash_add(&h, ct->alpha, 32);
	hash_add(&h, ct->beta, 32);
	hash_add(&h, D, 32);
	hash_add(&h, U, 32);
	hash_add(&h, V, 32);
	hash_final_scalar(&h, c);
}

int cp_decrypt(uint8_t D[static 32], urna_cp *pf, const urna_dec_bind *b, const urna_ct *ct,
               const uint8_t x[static 32])
{
	uint8_t w[32], c[32], t[32];
	const uint8_t *A = ct->alpha;
	int rc = -1;
	scalar_random(w);
	if (point_mul(D, x, A) != 0 || point_base_mul(pf->U, w) != 0 || point_mul(pf->V, w, A) != 0)
		goto out;
	cp_challenge(c, b, ct, D, pf->U, pf->V);
	scalar_mul(t, c, x);
	scalar_add(pf->z, w, t);
	rc = 0;
out:
	sodium_memzero(w, sizeof w);
	sodium_memzero(t, sizeof t);
	if (rc) {
		memset(D, 0, 32);
		memset(pf, 0, sizeof *pf);
	}
	return rc;
}

int cp_verify(const urna_cp *pf, const urna_dec_bind *b, const urna_ct *ct, const uint8_t D[static 32])
{
	uint8_t c[32];
	decaf_255_point_t Ap, Dp, Vp, R;
	decaf_255_scalar_t zs, nc;
	if (point_check_nonzero(b->X_j) != 0 || scalar_check(pf->z) || point_check(ct->beta) != 0)
		return -1;
	cp_challenge(c, b, ct, D, pf->U, pf->V);
	if (schnorr_check(pf->U, pf->z, c, b->X_j) != 0)
		return -1;
	if (decaf_255_point_decode(Ap, ct->alpha, DECAF_TRUE) != DECAF_SUCCESS ||
	    decaf_255_point_decode(Dp, D, DECAF_TRUE) != DECAF_SUCCESS ||
	    decaf_255_point_decode(Vp, pf->V, DECAF_TRUE) != DECAF_SUCCESS)
		return -1;
	decaf_255_scalar_decode_long(zs, pf->z, 32);
	decaf_255_scalar_decode_long(nc, c, 32);
	decaf_255_scalar_sub(nc, decaf_255_scalar_zero, nc);
	decaf_255_point_double_scalarmul(R, Ap, zs, Dp, nc); /* z A - c D */
	return decaf_255_point_eq(R, Vp) == DECAF_TRUE ? 0 : -1;
}
