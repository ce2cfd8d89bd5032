/* dlog2.c: the counts of a packed question from its decrypted sum
 * (dlog2.h, docs/protocol.md s.8).
 *
 * The search, for S = sG with s = c1 + c2 M, c1 = n - b - c2:
 *   R = 4S as an Edwards25519 point (libdecaf's EdDSA encoding multiplies
 *   by 4, which maps ristretto255 onto the prime-order subgroup: P = 4B
 *   plays G's part), so R = s P. Put V = (M - 1) P. For the blank count b,
 *   R_b = R - (n - b) P = c2 V must hold for some c2 in 0..n-b.
 *   Baby steps: the y coordinates of g V for g in 0..T-1; y is shared by
 *   g V and -g V, so one table covers -(T-1)..T-1.
 *   Giant steps: for b = 0, 1, ... (only 0 without blank), the points
 *   R_b - (T-1 + k(2T-1)) V, k = 0 .. (n-b)/(2T-1); a hit at k with baby g
 *   gives c2 = T-1 + k(2T-1) +- g, each candidate confirmed by libsodium.
 * Points are in extended coordinates (X:Y:Z:T), stepped by one mixed
 * addition each; their y = Y/Z are taken BATCH at a time with one field
 * inversion (Montgomery's trick). Public data: variable time throughout. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <decaf/ed255.h>
#include "base/parallel.h"
#include "crypto/dlog2.h"
#include "crypto/group_int.h"

/* ---- the field mod p = 2^255 - 19: five limbs of 51 bits ----
 * Limbs of inputs stay below 2^54 (a reduced element is below 2^51 + 2^13,
 * and every sum or difference below is of two reduced ones), so that the
 * products below fit 128 bits. */

typedef unsigned __int128 u128;
typedef struct { uint64_t v[5]; } fe;

#define MASK51 ((1ull << 51) - 1)

static const fe fe_one = {{1, 0, 0, 0, 0}};
static const fe fe_d2 = {{0x69b9426b2f159ull, 0x35050762add7aull, 0x3cf44c0038052ull, 0x6738cc7407977ull,
                          0x2406d9dc56dffull}}; /* 2d, d = -121665/121666 */
static const fe fe_d = {{0x34dca135978a3ull, 0x1a8283b156ebdull, 0x5e7a26001c029ull, 0x739c663a03cbbull,
                         0x52036cee2b6ffull}};
static const fe fe_sqrtm1 = {{0x61b274a0ea0b0ull, 0x0d5a5fc8f189dull, 0x7ef5e9cbd0c60ull, 0x78595a6804c9eull,
                              0x2b8324804fc1dull}};
/* (p - 5) / 8 and p - 2, little-endian. */
static const uint8_t e_sqrt[32] = {0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f};
static const uint8_t e_inv[32] = {0xeb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};

static void fe_add(fe *h, const fe *f, const fe *g)
{
	for (int i = 0; i < 5; i++)
		h->v[i] = f->v[i] + g->v[i];
}

/* f - g + 2p (g reduced). */
static void fe_sub(fe *h, const fe *f, const fe *g)
{
	h->v[0] = f->v[0] + 0xfffffffffffdaull - g->v[0];
	for (int i = 1; i < 5; i++)
		h->v[i] = f->v[i] + 0xffffffffffffeull - g->v[i];
}

static inline void fe_mul(fe *h, const fe *f, const fe *g)
{
	const uint64_t *a = f->v, *b = g->v;
	uint64_t b1 = 19 * b[1], b2 = 19 * b[2], b3 = 19 * b[3], b4 = 19 * b[4];
	u128 r0 = (u128)a[0] * b[0] + (u128)a[1] * b4 + (u128)a[2] * b3 + (u128)a[3] * b2 + (u128)a[4] * b1;
	u128 r1 = (u128)a[0] * b[1] + (u128)a[1] * b[0] + (u128)a[2] * b4 + (u128)a[3] * b3 + (u128)a[4] * b2;
	u128 r2 = (u128)a[0] * b[2] + (u128)a[1] * b[1] + (u128)a[2] * b[0] + (u128)a[3] * b4 + (u128)a[4] * b3;
	u128 r3 = (u128)a[0] * b[3] + (u128)a[1] * b[2] + (u128)a[2] * b[1] + (u128)a[3] * b[0] + (u128)a[4] * b4;
	u128 r4 = (u128)a[0] * b[4] + (u128)a[1] * b[3] + (u128)a[2] * b[2] + (u128)a[3] * b[1] + (u128)a[4] * b[0];
	r1 += r0 >> 51;
	r2 += r1 >> 51;
	r3 += r2 >> 51;
	r4 += r3 >> 51;
	u128 t = ((uint64_t)r0 & MASK51) + (r4 >> 51) * 19;
	h->v[0] = (uint64_t)t & MASK51;
	h->v[1] = ((uint64_t)r1 & MASK51) + (uint64_t)(t >> 51);
	h->v[2] = (uint64_t)r2 & MASK51;
	h->v[3] = (uint64_t)r3 & MASK51;
	h->v[4] = (uint64_t)r4 & MASK51;
}

/* Carries once: limbs below 2^51, but the first below 2^51 + 2^18. */
static inline void fe_carry(uint64_t t[5])
{
	for (int i = 0; i < 4; i++) {
		t[i + 1] += t[i] >> 51;
		t[i] &= MASK51;
	}
	t[0] += 19 * (t[4] >> 51);
	t[4] &= MASK51;
}

/* f^e for a 255-bit exponent (left to right). */
static void fe_pow(fe *h, const fe *f, const uint8_t e[32])
{
	fe r = fe_one;
	for (int i = 254; i >= 0; i--) {
		fe_mul(&r, &r, &r);
		if (e[i / 8] >> (i % 8) & 1)
			fe_mul(&r, &r, f);
	}
	*h = r;
}

/* The fully reduced limbs of f (value mod p, below p): every limb below 2^51. */
static inline void fe_canon(uint64_t t[5], const fe *f)
{
	memcpy(t, f->v, 5 * sizeof *t);
	for (int pass = 0; pass < 3; pass++) /* then every limb below 2^51: the value below 2^255 */
		fe_carry(t);
	uint64_t q = (t[0] + 19) >> 51; /* 1 iff the value is p or more */
	for (int i = 1; i < 5; i++)
		q = (t[i] + q) >> 51;
	t[0] += 19 * q;
	for (int i = 0; i < 4; i++) {
		t[i + 1] += t[i] >> 51;
		t[i] &= MASK51;
	}
	t[4] &= MASK51;
}

/* The canonical 32 bytes. */
static void fe_tobytes(uint8_t s[32], const fe *f)
{
	uint64_t t[5];
	fe_canon(t, f);
	uint64_t w[4] = {t[0] | t[1] << 51, t[1] >> 13 | t[2] << 38, t[2] >> 26 | t[3] << 25, t[3] >> 39 | t[4] << 12};
	for (int i = 0; i < 32; i++)
		s[i] = (uint8_t)(w[i / 8] >> (8 * (i % 8)));
}

/* The low 64 bits of f's canonical value: its first 8 canonical bytes. */
static inline uint64_t fe_low64(const fe *f)
{
	uint64_t t[5];
	fe_canon(t, f);
	return t[0] | t[1] << 51;
}

/* The low 255 bits of s (the caller keeps the top bit). */
static void fe_frombytes(fe *h, const uint8_t s[32])
{
	uint64_t w[4];
	for (int i = 0; i < 4; i++) {
		w[i] = 0;
		for (int k = 7; k >= 0; k--)
			w[i] = w[i] << 8 | s[8 * i + k];
	}
	h->v[0] = w[0] & MASK51;
	h->v[1] = (w[0] >> 51 | w[1] << 13) & MASK51;
	h->v[2] = (w[1] >> 38 | w[2] << 26) & MASK51;
	h->v[3] = (w[2] >> 25 | w[3] << 39) & MASK51;
	h->v[4] = (w[3] >> 12) & MASK51;
}

static int fe_eq(const fe *f, const fe *g)
{
	uint8_t a[32], b[32];
	fe_tobytes(a, f);
	fe_tobytes(b, g);
	return !memcmp(a, b, 32);
}

/* ---- Edwards25519 (a = -1) in extended coordinates ---- */

typedef struct { fe X, Y, Z, T; } ext;
typedef struct { fe ypx, ymx, xy2d; } niels; /* an affine point to add: y + x, y - x, 2dxy */

/* The point of an Ed25519 encoding (RFC 8032 s.5.1.3): 0, or -1 when it is
 * none. Encodings come from libsodium and libdecaf, so canonical. */
static int ext_decode(ext *P, const uint8_t enc[32])
{
	fe y, y2, u, v, v3, t, x, chk;
	int sign = enc[31] >> 7;
	fe_frombytes(&y, enc);
	fe_mul(&y2, &y, &y);
	fe_sub(&u, &y2, &fe_one);      /* y^2 - 1 */
	fe_carry(u.v);                 /* reduced: -u is formed below */
	fe_mul(&v, &y2, &fe_d);
	fe_add(&v, &v, &fe_one);       /* d y^2 + 1 */
	fe_mul(&v3, &v, &v);
	fe_mul(&v3, &v3, &v);          /* v^3 */
	fe_mul(&t, &v3, &v3);
	fe_mul(&t, &t, &v);
	fe_mul(&t, &t, &u);            /* u v^7 */
	fe_pow(&t, &t, e_sqrt);
	fe_mul(&x, &t, &v3);
	fe_mul(&x, &x, &u);            /* u v^3 (u v^7)^((p-5)/8) */
	fe_mul(&chk, &x, &x);
	fe_mul(&chk, &chk, &v);        /* v x^2 */
	fe zero = {{0}}, mu;
	fe_sub(&mu, &zero, &u);
	if (!fe_eq(&chk, &u)) {
		if (!fe_eq(&chk, &mu))
			return -1;
		fe_mul(&x, &x, &fe_sqrtm1);
	}
	uint8_t xb[32];
	fe_tobytes(xb, &x);
	if ((xb[0] & 1) != sign) {
		fe_sub(&x, &zero, &x);
		fe_tobytes(xb, &x);
	}
	if (sodium_is_zero(xb, 32) && sign)
		return -1;
	fe_frombytes(&P->X, xb);
	fe_tobytes(xb, &y);
	fe_frombytes(&P->Y, xb);
	P->Z = fe_one;
	fe_mul(&P->T, &P->X, &P->Y);
	return 0;
}

/* The niels form of an affine P (Z = 1), or of -P when neg. */
static void to_niels(niels *n, const ext *P, int neg)
{
	fe zero = {{0}};
	fe_add(&n->ypx, &P->Y, &P->X);
	fe_sub(&n->ymx, &P->Y, &P->X);
	fe_mul(&n->xy2d, &P->T, &fe_d2);
	if (neg) {
		fe t = n->ypx;
		n->ypx = n->ymx;
		n->ymx = t;
		fe_sub(&n->xy2d, &zero, &n->xy2d);
	}
	/* Reduce the sums so that a later fe_sub of them stays in bounds. */
	fe_mul(&n->ypx, &n->ypx, &fe_one);
	fe_mul(&n->ymx, &n->ymx, &fe_one);
	fe_mul(&n->xy2d, &n->xy2d, &fe_one);
}

/* The first products of the HWCD mixed addition P + Q: A = (Y - X)(y - x),
 * B = (Y + X)(y + x), C = T 2d xy, D = 2Z. */
static void madd_abcd(fe *a, fe *b, fe *c, fe *d, const ext *P, const niels *Q)
{
	fe_sub(a, &P->Y, &P->X);
	fe_mul(a, a, &Q->ymx);
	fe_add(b, &P->Y, &P->X);
	fe_mul(b, b, &Q->ypx);
	fe_mul(c, &P->T, &Q->xy2d);
	fe_add(d, &P->Z, &P->Z);
}

/* R = P + Q (HWCD mixed addition, complete on this curve). */
static void ext_madd(ext *R, const ext *P, const niels *Q)
{
	fe a, b, c, d, e, f, g, h;
	madd_abcd(&a, &b, &c, &d, P, Q);
	fe_sub(&e, &b, &a);
	fe_sub(&f, &d, &c);
	fe_add(&g, &d, &c);
	fe_add(&h, &b, &a);
	fe_mul(&R->X, &e, &f);
	fe_mul(&R->Y, &g, &h);
	fe_mul(&R->Z, &f, &g);
	fe_mul(&R->T, &e, &h);
}

/* k P (P = 4B) as an affine point, from libsodium's Ed25519 multiple of the
 * base (k < l / 4, k > 0). */
static int ext_of_multiple(ext *R, uint64_t k)
{
	uint8_t s[32], enc[32];
	u128 k4 = (u128)k * 4;
	memset(s, 0, 32);
	for (int i = 0; i < 16; i++)
		s[i] = (uint8_t)(k4 >> (8 * i));
	if (crypto_scalarmult_ed25519_base_noclamp(enc, s) != 0)
		return -1;
	return ext_decode(R, enc);
}

/* The y of P + Q without the rest of the sum: y = (B + A) / (D - C) in
 * ext_madd's names (Y3 / Z3 = GH / FG). Written as num / den. */
static void ext_madd_y(fe *num, fe *den, const ext *P, const niels *Q)
{
	fe a, b, c, d;
	madd_abcd(&a, &b, &c, &d, P, Q);
	fe_add(num, &b, &a);
	fe_sub(den, &d, &c);
}

/* ---- the search ----
 * Baby steps: g V + h P for g in 0..T1-1, h in -(T2-1)..T2-1, by their y
 * (shared with the negation -g V - h P), so the table covers every
 * (g, h) with |g| < T1, |h| < T2. Giant steps: for groups j of rows b
 * around b_j = (T2-1) + j(2T2-1) and columns c2 around c_k = (T1-1) +
 * k(2T1-1), the point R - (n - b_j) P - c_k V = (b_j - b) P + (c2 - c_k) V.
 * A hit on baby (g, h) gives (c2, b) = (c_k + g, b_j - h) or (c_k - g,
 * b_j + h). Without a blank vote T2 = 1: one row, b = 0. Both walk
 * chains of points stepped by one mixed addition, and take BATCH of them
 * plus fixed offsets at a time by their y alone (ext_madd_y), one field
 * inversion per batch. */

#define BATCH 512

typedef struct {
	uint32_t tag;  /* key bits 32..63 */
	uint32_t idx;  /* baby g (2T2-1) + h + T2-1, plus 1; 0: empty */
} slot;

struct urna_dlog2 {
	uint64_t n, M;
	uint32_t T1, T2;      /* baby g in 0..T1-1, h in -(T2-1)..T2-1 */
	int threads;
	slot *slots;
	size_t mask;          /* slots - 1, a power of two minus one */
	niels V;              /* V = (M-1)P */
	niels *hoff;          /* h P, h = -(T2-1)..T2-1 */
	niels *coff;          /* -c_k V, k = 0..ncol-1 */
	uint64_t ncol;        /* the most columns a group has */
};

/* keys[i] = the key of num[i] / den[i] for i < n: one inversion for all.
 * den is overwritten. */
static void batch_keys(uint64_t *keys, const fe *num, fe *den, size_t n)
{
	fe acc[BATCH], inv, t;
	acc[0] = den[0];
	for (size_t i = 1; i < n; i++)
		fe_mul(&acc[i], &acc[i - 1], &den[i]);
	fe_pow(&inv, &acc[n - 1], e_inv);
	for (size_t i = n; i-- > 0;) {
		fe di;
		if (i) {
			fe_mul(&di, &inv, &acc[i - 1]);  /* 1 / den_i */
			fe_mul(&inv, &inv, &den[i]);     /* 1 / (den_0 .. den_(i-1)) */
		} else {
			di = inv;
		}
		fe_mul(&t, &num[i], &di);
		keys[i] = fe_low64(&t); /* the key of y: its first 8 canonical bytes */
	}
}

/* Affine (Z = 1) niels forms of P_0 + k S for k < n, P_0 given affine. */
static int niels_run(niels *out, const ext *P0, const niels *S, uint64_t n)
{
	ext p = *P0, *pts = malloc((n ? n : 1) * sizeof *pts);
	fe *acc = malloc((n ? n : 1) * sizeof *acc), inv;
	if (!pts || !acc) {
		free(pts);
		free(acc);
		return -1;
	}
	for (uint64_t k = 0; k < n; k++) {
		pts[k] = p;
		acc[k] = k ? acc[k - 1] : p.Z;
		if (k)
			fe_mul(&acc[k], &acc[k - 1], &p.Z);
		ext_madd(&p, &p, S);
	}
	if (n)
		fe_pow(&inv, &acc[n - 1], e_inv);
	for (uint64_t k = n; k-- > 0;) {
		fe zi;
		ext a;
		if (k) {
			fe_mul(&zi, &inv, &acc[k - 1]);
			fe_mul(&inv, &inv, &pts[k].Z);
		} else {
			zi = inv;
		}
		fe_mul(&a.X, &pts[k].X, &zi);
		fe_mul(&a.Y, &pts[k].Y, &zi);
		fe_mul(&a.T, &a.X, &a.Y);
		a.Z = fe_one;
		to_niels(&out[k], &a, 0);
	}
	free(pts);
	free(acc);
	return 0;
}

typedef struct {
	const urna_dlog2 *d;
	uint32_t from, to;  /* baby g */
	uint64_t *keys;     /* by entry index - 1 */
	int rc;
} baby_job;

static void *baby_run(void *arg)
{
	baby_job *j = arg;
	const urna_dlog2 *d = j->d;
	uint32_t nh = 2 * d->T2 - 1;
	fe num[BATCH], den[BATCH];
	uint64_t keys[BATCH], at[BATCH];
	ext cur;
	size_t k = 0;
	j->rc = -1;
	if (j->from == 0) {
		memset(&cur, 0, sizeof cur);
		cur.Y = fe_one, cur.Z = fe_one;
	} else if (ext_of_multiple(&cur, (uint64_t)j->from * (d->M - 1)) != 0) {
		return NULL;
	}
	for (uint32_t g = j->from; g < j->to; g++) {
		for (uint32_t h = 0; h < nh; h++) {
			ext_madd_y(&num[k], &den[k], &cur, &d->hoff[h]);
			at[k++] = (uint64_t)g * nh + h;
			if (k == BATCH) {
				batch_keys(keys, num, den, k);
				for (size_t i = 0; i < k; i++)
					j->keys[at[i]] = keys[i];
				k = 0;
			}
		}
		ext_madd(&cur, &cur, &d->V);
	}
	if (k) {
		batch_keys(keys, num, den, k);
		for (size_t i = 0; i < k; i++)
			j->keys[at[i]] = keys[i];
	}
	j->rc = 0;
	return NULL;
}

void dlog2_free(urna_dlog2 *d)
{
	if (!d)
		return;
	free(d->slots);
	free(d->hoff);
	free(d->coff);
	free(d);
}

urna_dlog2 *dlog2_new(uint64_t n, uint64_t M, int blank, int threads)
{
	urna_dlog2 *d = NULL;
	uint64_t *keys = NULL;
	ext e, start;
	niels step;
	if (M < 2 || n >= M || (u128)n * M >= ((u128)1 << 64))
		return NULL;
	if (!(d = calloc(1, sizeof *d)))
		return NULL;
	d->n = n, d->M = M, d->threads = threads == 2 ? 2 : 1;
	/* With a blank vote at worst about E + n^2/(4E) steps for E baby steps
	 * (fewest at E = n/2), in groups of 2 T2 - 1 rows; without, T1 +
	 * n/(2 T1) (fewest at T1 = sqrt(n/2)), one row. */
	uint64_t T1 = 1, T2 = 1;
	if (blank) {
		uint64_t E = n / 2 < 64 ? 64 : n / 2 > URNA_DLOG2_MAX_BABY ? URNA_DLOG2_MAX_BABY : n / 2;
		while (T2 < 16 && (4 * T2 - 1) * 64 <= E)
			T2 *= 2;
		T1 = (E + 2 * T2 - 2) / (2 * T2 - 1);
	} else {
		while (T1 * T1 < n / 2)
			T1 *= 2;
		T1 = T1 < 64 ? 64 : T1 > URNA_DLOG2_MAX_BABY ? URNA_DLOG2_MAX_BABY : T1;
	}
	d->T1 = (uint32_t)T1, d->T2 = (uint32_t)T2;
	uint64_t nh = 2 * T2 - 1, entries = T1 * nh;
	d->ncol = n / (2 * T1 - 1) + 1;
	size_t cap = 1;
	while (cap < 2 * entries)
		cap *= 2;
	d->mask = cap - 1;
	if (!(d->slots = calloc(cap, sizeof *d->slots)) || !(keys = malloc(entries * sizeof *keys)) ||
	    !(d->hoff = malloc(nh * sizeof *d->hoff)) || !(d->coff = malloc(d->ncol * sizeof *d->coff)))
		goto fail;
	if (ext_of_multiple(&e, M - 1) != 0)
		goto fail;
	to_niels(&d->V, &e, 0);
	/* h P for h = -(T2-1).., stepped by P; -c_k V stepped by -(2T1-1)V. */
	if (ext_of_multiple(&e, 1) != 0)
		goto fail;
	to_niels(&step, &e, 0);
	memset(&start, 0, sizeof start);
	start.Y = fe_one, start.Z = fe_one;
	if (T2 > 1) {
		if (ext_of_multiple(&start, T2 - 1) != 0)
			goto fail;
		fe zero = {{0}};
		fe_sub(&start.X, &zero, &start.X); /* -(T2-1) P */
		fe_sub(&start.T, &zero, &start.T);
	}
	if (niels_run(d->hoff, &start, &step, nh) != 0)
		goto fail;
	if (ext_of_multiple(&e, (2 * T1 - 1) * (M - 1)) != 0)
		goto fail;
	to_niels(&step, &e, 1);
	if (ext_of_multiple(&start, (T1 - 1) * (M - 1)) != 0)
		goto fail;
	{
		fe zero = {{0}};
		fe_sub(&start.X, &zero, &start.X); /* -(T1-1) V */
		fe_sub(&start.T, &zero, &start.T);
	}
	if (niels_run(d->coff, &start, &step, d->ncol) != 0)
		goto fail;

	baby_job job[2];
	for (int k = 0; k < d->threads; k++)
		job[k] = (baby_job){.d = d, .from = (uint32_t)(T1 * (uint64_t)k / (uint64_t)d->threads),
		                    .to = (uint32_t)(T1 * (uint64_t)(k + 1) / (uint64_t)d->threads), .keys = keys};
	parallel_run(baby_run, job, sizeof job[0], d->threads);
	for (int k = 0; k < d->threads; k++)
		if (job[k].rc)
			goto fail;
	for (uint64_t i = 0; i < entries; i++) {
		if (i + 8 < entries)
			__builtin_prefetch(&d->slots[(size_t)keys[i + 8] & d->mask], 1);
		size_t at = (size_t)keys[i] & d->mask;
		while (d->slots[at].idx)
			at = (at + 1) & d->mask;
		d->slots[at] = (slot){(uint32_t)(keys[i] >> 32), (uint32_t)(i + 1)};
	}
	free(keys);
	return d;
fail:
	free(keys);
	dlog2_free(d);
	return NULL;
}

typedef struct {
	const urna_dlog2 *d;
	const uint8_t *S;   /* the ristretto255 point sought */
	ext R0;             /* R - nP + (T2-1) P: group 0's point */
	uint64_t bmax;
	uint64_t first, step; /* groups first, first + step, ... */
	int *found;         /* shared: set once the counts are known */
	uint64_t c1, c2;
	int rc;             /* 0: found by this job */
} giant_job;

/* s confirmed against S by libsodium. */
static int confirm(const uint8_t S[32], uint64_t s)
{
	uint8_t sc[32], P[32];
	scalar_from_u64(sc, s);
	return point_base_mul(P, sc) == 0 && !memcmp(P, S, 32) ? 0 : -1;
}

/* Whether the baby entry idx (1-based) at group j, column k gives counts
 * that hold: sets j's c1, c2 and the shared flag. */
static int try_entry(giant_job *j, uint64_t idx, uint64_t grp, uint64_t col)
{
	const urna_dlog2 *d = j->d;
	uint64_t nh = 2 * (uint64_t)d->T2 - 1, g = (idx - 1) / nh;
	int64_t h = (int64_t)((idx - 1) % nh) - (int64_t)(d->T2 - 1);
	int64_t bc = (int64_t)(d->T2 - 1) + (int64_t)(grp * nh);
	uint64_t cc = (d->T1 - 1) + col * (2 * (uint64_t)d->T1 - 1);
	for (int sgn = 0; sgn < 2; sgn++) {
		int64_t b = sgn ? bc + h : bc - h;
		if (b < 0 || (uint64_t)b > j->bmax || (sgn ? cc < g : 0))
			continue;
		uint64_t c2 = sgn ? cc - g : cc + g, left = d->n - (uint64_t)b; /* c1 + c2 */
		if (c2 > left || confirm(j->S, left + c2 * (d->M - 1)) != 0)
			continue;
		j->c1 = left - c2, j->c2 = c2;
		__atomic_store_n(j->found, 1, __ATOMIC_RELAXED);
		return 0;
	}
	return -1;
}

/* Looks up the k points num/den of groups grp[] and columns col[]. */
static int lookup(giant_job *j, const fe *num, fe *den, const uint64_t *grp, const uint64_t *col, size_t k)
{
	const urna_dlog2 *d = j->d;
	uint64_t keys[BATCH];
	batch_keys(keys, num, den, k);
	for (size_t i = 0; i < k; i++)
		__builtin_prefetch(&d->slots[(size_t)keys[i] & d->mask]);
	for (size_t i = 0; i < k; i++) {
		uint32_t tag = (uint32_t)(keys[i] >> 32);
		for (size_t at = (size_t)keys[i] & d->mask; d->slots[at].idx; at = (at + 1) & d->mask)
			if (d->slots[at].tag == tag && try_entry(j, d->slots[at].idx, grp[i], col[i]) == 0)
				return 0;
	}
	return -1;
}

static void *giant_run(void *arg)
{
	giant_job *j = arg;
	const urna_dlog2 *d = j->d;
	uint64_t nh = 2 * (uint64_t)d->T2 - 1;
	fe num[BATCH], den[BATCH];
	uint64_t grp[BATCH], col[BATCH];
	ext row = j->R0, e;
	niels first, stride;
	size_t k = 0;
	j->rc = -1;
	/* group j's point is R0 + j (2T2-1) P */
	if (j->first) {
		if (ext_of_multiple(&e, j->first * nh) != 0)
			return NULL;
		to_niels(&first, &e, 0);
		ext_madd(&row, &row, &first);
	}
	if (ext_of_multiple(&e, j->step * nh) != 0)
		return NULL;
	to_niels(&stride, &e, 0);
	for (uint64_t g = j->first; g * nh <= j->bmax; g += j->step) {
		uint64_t cols = (d->n - g * nh) / (2 * (uint64_t)d->T1 - 1) + 1; /* its lowest row's c2 range */
		for (uint64_t c = 0; c < cols; c++) {
			ext_madd_y(&num[k], &den[k], &row, &d->coff[c]);
			grp[k] = g, col[k] = c;
			if (++k == BATCH) {
				if (lookup(j, num, den, grp, col, k) == 0) {
					j->rc = 0;
					return NULL;
				}
				k = 0;
				if (__atomic_load_n(j->found, __ATOMIC_RELAXED))
					return NULL;
			}
		}
		if ((g + j->step) * nh <= j->bmax)
			ext_madd(&row, &row, &stride);
	}
	if (k && lookup(j, num, den, grp, col, k) == 0)
		j->rc = 0;
	return NULL;
}

int dlog2_find(const urna_dlog2 *d, uint64_t *c1, uint64_t *c2, const uint8_t S[static 32], int blank)
{
	decaf_255_point_t Sp;
	uint8_t enc[32];
	ext R, e;
	niels neg;
	int found = 0;
	*c1 = *c2 = 0;
	if (decaf_255_point_decode(Sp, S, DECAF_TRUE) != DECAF_SUCCESS)
		return -1;
	decaf_255_point_mul_by_ratio_and_encode_like_eddsa(enc, Sp); /* 4 S */
	if (ext_decode(&R, enc) != 0)
		return -1;
	/* R - (n - (T2-1)) P: group 0's centre row b = T2 - 1 */
	int64_t off = (int64_t)d->n - (int64_t)(d->T2 - 1);
	if (off != 0) {
		if (ext_of_multiple(&e, (uint64_t)(off < 0 ? -off : off)) != 0)
			return -1;
		to_niels(&neg, &e, off > 0);
		ext_madd(&R, &R, &neg);
	}
	giant_job job[2];
	int nj = blank ? d->threads : 1; /* without a blank vote: one row */
	for (int k = 0; k < nj; k++)
		job[k] = (giant_job){.d = d, .S = S, .R0 = R, .bmax = blank ? d->n : 0, .first = (uint64_t)k,
		                     .step = (uint64_t)nj, .found = &found, .rc = -1};
	parallel_run(giant_run, job, sizeof job[0], nj);
	for (int k = 0; k < nj; k++)
		if (job[k].rc == 0) {
			*c1 = job[k].c1, *c2 = job[k].c2;
			return 0;
		}
	return -1;
}
