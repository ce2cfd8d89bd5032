/* threshold.c: trustee keys, the Pedersen DKG's share checks and sealed
 * shares, Lagrange combination and the discrete log of counts
 * (PROTOCOL.md s.4, s.8, s.15). */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "base/table.h"
#include "crypto/group_int.h"
#include "crypto/threshold.h"

void poly_random(urna_poly *f, uint32_t t)
{
	memset(f, 0, sizeof *f);
	if (t > URNA_MAX_TRUSTEES)
		t = URNA_MAX_TRUSTEES;
	f->t = t;
	for (uint32_t k = 0; k < t; k++)
		scalar_random(f->a[k]);
}

void poly_wipe(urna_poly *f)
{
	sodium_memzero(f, sizeof *f);
}

int poly_commit(uint8_t C[][32], const urna_poly *f)
{
	for (uint32_t k = 0; k < f->t; k++)
		if (point_base_mul(C[k], f->a[k]) != 0)
			return -1;
	return 0;
}

void poly_eval(uint8_t share[static 32], const urna_poly *f, uint32_t j)
{
	uint8_t x[32], acc[32] = {0};
	scalar_from_u64(x, j);
	for (uint32_t k = f->t; k-- > 0;) { /* Horner */
		scalar_mul(acc, acc, x);
		scalar_add(acc, acc, f->a[k]);
	}
	memcpy(share, acc, 32);
	sodium_memzero(acc, sizeof acc);
}

/* sum_k j^k C_k on public data (variable time). */
static int commit_eval(decaf_255_point_t out, uint32_t j, const uint8_t C[][32], uint32_t t)
{
	decaf_255_scalar_t x, pw;
	decaf_255_point_t P, T;
	decaf_255_scalar_set_unsigned(x, j);
	decaf_255_scalar_copy(pw, decaf_255_scalar_one);
	decaf_255_point_copy(out, decaf_255_point_identity);
	for (uint32_t k = 0; k < t; k++) {
		if (decaf_255_point_decode(P, C[k], DECAF_TRUE) != DECAF_SUCCESS)
			return -1;
		decaf_255_point_scalarmul(T, P, pw);
		decaf_255_point_add(out, out, T);
		decaf_255_scalar_mul(pw, pw, x);
	}
	return 0;
}

int share_check(const uint8_t share[static 32], uint32_t j, const uint8_t C[][32], uint32_t t)
{
	uint8_t lhs[32], rhs[32];
	decaf_255_point_t R;
	if (j == 0 || t == 0 || t > URNA_MAX_TRUSTEES || scalar_check(share) != 0 ||
	    commit_eval(R, j, C, t) != 0)
		return -1;
	decaf_255_point_encode(rhs, R);
	if (point_base_mul(lhs, share) != 0)
		return -1;
	int rc = sodium_memcmp(lhs, rhs, 32) == 0 ? 0 : -1;
	sodium_memzero(lhs, sizeof lhs);
	return rc;
}

int verification_key(uint8_t X[static 32], uint32_t j, const uint8_t (*C)[URNA_MAX_TRUSTEES][32],
                     const int *qualified, uint32_t n, uint32_t t)
{
	decaf_255_point_t sum, P;
	memset(X, 0, 32);
	if (j == 0 || n > URNA_MAX_TRUSTEES || t == 0 || t > URNA_MAX_TRUSTEES)
		return -1;
	decaf_255_point_copy(sum, decaf_255_point_identity);
	for (uint32_t i = 0; i < n; i++) {
		if (qualified && !qualified[i])
			continue;
		if (commit_eval(P, j, C[i], t) != 0)
			return -1;
		decaf_255_point_add(sum, sum, P);
	}
	decaf_255_point_encode(X, sum);
	return 0;
}

void box_keypair(uint8_t pk[static 32], uint8_t sk[static 32])
{
	crypto_box_keypair(pk, sk);
}

int share_seal(uint8_t box[static URNA_SEALED_SHARE], uint8_t nonce[static 24],
               const uint8_t share[static 32], const uint8_t to_pk[static 32],
               const uint8_t from_sk[static 32])
{
	randombytes_buf(nonce, 24);
	if (crypto_box_easy(box, share, 32, nonce, to_pk, from_sk) != 0) {
		memset(box, 0, URNA_SEALED_SHARE);
		return -1;
	}
	return 0;
}

int share_open(uint8_t share[static 32], const uint8_t box[static URNA_SEALED_SHARE],
               const uint8_t nonce[static 24], const uint8_t from_pk[static 32],
               const uint8_t to_sk[static 32])
{
	if (crypto_box_open_easy(share, box, URNA_SEALED_SHARE, nonce, from_pk, to_sk) != 0) {
		sodium_memzero(share, 32);
		return -1;
	}
	return 0;
}

int share_shared_key(uint8_t k[static 32], const uint8_t other_pk[static 32], const uint8_t my_sk[static 32])
{
	if (crypto_box_beforenm(k, other_pk, my_sk) != 0) {
		sodium_memzero(k, 32);
		return -1;
	}
	return 0;
}

int share_open_with_key(uint8_t share[static 32], const uint8_t box[static URNA_SEALED_SHARE],
                        const uint8_t nonce[static 24], const uint8_t k[static 32])
{
	if (crypto_box_open_easy_afternm(share, box, URNA_SEALED_SHARE, nonce, k) != 0) {
		sodium_memzero(share, 32);
		return -1;
	}
	return 0;
}

int lagrange_at0(uint8_t lambda[static 32], const uint32_t *idx, size_t k, size_t which)
{
	uint8_t num[32], den[32], xi[32], xm[32], d[32];
	memset(lambda, 0, 32);
	if (which >= k || idx[which] == 0)
		return -1;
	scalar_from_u64(num, 1);
	scalar_from_u64(den, 1);
	scalar_from_u64(xi, idx[which]);
	for (size_t m = 0; m < k; m++) {
		if (m == which)
			continue;
		if (idx[m] == idx[which] || idx[m] == 0)
			return -1;
		scalar_from_u64(xm, idx[m]);
		scalar_mul(num, num, xm);       /* prod x_m */
		scalar_sub(d, xm, xi);
		scalar_mul(den, den, d);        /* prod (x_m - x_i) */
	}
	if (scalar_invert(den, den) != 0)
		return -1;
	scalar_mul(lambda, num, den);
	return 0;
}

int combine_shares(uint8_t D[static 32], const uint8_t (*Dj)[32], const uint32_t *idx, size_t k)
{
	decaf_255_point_t sum, P;
	decaf_255_scalar_t ls;
	uint8_t lambda[32];
	memset(D, 0, 32);
	decaf_255_point_copy(sum, decaf_255_point_identity);
	for (size_t i = 0; i < k; i++) {
		if (lagrange_at0(lambda, idx, k, i) != 0 ||
		    decaf_255_point_decode(P, Dj[i], DECAF_TRUE) != DECAF_SUCCESS)
			return -1;
		decaf_255_scalar_decode_long(ls, lambda, 32);
		decaf_255_point_scalarmul(P, P, ls);
		decaf_255_point_add(sum, sum, P);
	}
	decaf_255_point_encode(D, sum);
	return 0;
}

int combine_sum(uint8_t D[static 32], const uint8_t (*Dj)[32], size_t k)
{
	decaf_255_point_t sum, P;
	memset(D, 0, 32);
	decaf_255_point_copy(sum, decaf_255_point_identity);
	for (size_t i = 0; i < k; i++) {
		if (decaf_255_point_decode(P, Dj[i], DECAF_TRUE) != DECAF_SUCCESS)
			return -1;
		decaf_255_point_add(sum, sum, P);
	}
	decaf_255_point_encode(D, sum);
	return 0;
}

/* ---- discrete log by baby-step giant-step ----
 * Baby steps: the encodings of jG, j in 0..m-1, in a table. Giant steps:
 * M - i mG for i = 0..max/m. */

struct urna_dlog {
	uint64_t max, m;
	table baby;          /* j by enc[j] */
	uint8_t (*enc)[32];  /* enc[j] = jG */
	decaf_255_point_t mG;
};

urna_dlog *dlog_new(uint64_t max)
{
	urna_dlog *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	uint64_t m = 256;
	/* Equal work on both sides for one search; a wider table when max is
	 * large pays for itself over the many counts of a tally. */
	while (m < (1u << 16) && m * m < 4 * (max + 1))
		m *= 2;
	d->max = max;
	d->m = m;
	d->enc = malloc(32 * (size_t)m);
	if (!d->enc || table_reserve(&d->baby, (size_t)m)) {
		dlog_free(d);
		return NULL;
	}
	decaf_255_point_t P;
	decaf_255_point_copy(P, decaf_255_point_identity);
	for (uint64_t j = 0; j < m; j++) {
		decaf_255_point_encode(d->enc[j], P);
		(void)table_add(&d->baby, d->enc[j], (uint32_t)j); /* reserved: cannot fail */
		decaf_255_point_add(P, P, decaf_255_point_base);
	}
	decaf_255_point_copy(d->mG, P);
	return d;
}

void dlog_free(urna_dlog *d)
{
	if (!d)
		return;
	table_free(&d->baby);
	free(d->enc);
	free(d);
}

int dlog_find(const urna_dlog *d, uint64_t *count, const uint8_t M[static 32])
{
	decaf_255_point_t P;
	uint8_t e[32];
	*count = 0;
	if (decaf_255_point_decode(P, M, DECAF_TRUE) != DECAF_SUCCESS)
		return -1;
	for (uint64_t i = 0; i * d->m <= d->max; i++) {
		if (i)
			decaf_255_point_sub(P, P, d->mG);
		decaf_255_point_encode(e, P);
		long j = table_find(&d->baby, (const uint8_t(*)[32])d->enc, e);
		if (j >= 0) {
			uint64_t c = i * d->m + (uint64_t)j;
			if (c > d->max)
				return -1;
			*count = c;
			return 0;
		}
	}
	return -1;
}
