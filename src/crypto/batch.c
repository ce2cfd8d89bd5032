/* batch.c: batch verification of linear equations sum s_k P_k = 0
 * (PROTOCOL.md s.9) and the multi-scalar multiplication behind it.
 *
 * Equations are stored unweighted, grouped in records (a run of equations
 * with the same item id), with each record's points decoded once. batch_verify
 * draws a random 128-bit weight per equation, sums every term's weighted
 * coefficient per point (G and K merged across the batch) and evaluates one
 * MSM; on failure it bisects over records with fresh weights. Public data
 * only: everything here is variable time. No global state, so batches may be
 * verified on different threads at once. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/buf.h"
#include "base/table.h"
#include "crypto/batch_int.h"

#define PT_G (-1)
#define PT_K (-2)
#define MAX_EQ UINT32_MAX /* equations and terms: eq[] and first_eq are uint32 */
#define MAX_PT INT32_MAX  /* points: a term's pt is an int32 */

typedef struct {
	decaf_255_scalar_t s;
	int32_t pt; /* index into pts, or PT_G / PT_K */
} term;

typedef struct {
	uint64_t id;
	uint32_t first_eq, first_pt;
	int failed;
} record;

struct urna_batch {
	int has_K;
	uint8_t K[32];
	decaf_255_point_t Kp;
	record *rec;
	size_t nrec, caprec;
	uint32_t *eq; /* first term of each equation */
	size_t neq, capeq;
	term *terms;
	size_t nterm, capterm;
	vt_point *pts;
	uint8_t (*enc)[32]; /* encodings of pts */
	size_t npt, cappt, capenc;
	table dedup;        /* the current record's points by encoding */
	int lost;           /* a record could not be stored: its item's equations went to another */
	int timed;          /* batch_timing: time the decodes */
	uint64_t decode_ns, ndecode;
};

urna_batch *batch_new(const uint8_t K[static 32])
{
	urna_batch *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	if (K) {
		if (decaf_255_point_decode(b->Kp, K, DECAF_FALSE) != DECAF_SUCCESS) {
			free(b);
			return NULL;
		}
		memcpy(b->K, K, 32);
		b->has_K = 1;
	}
	return b;
}

void batch_free(urna_batch *b)
{
	if (!b)
		return;
	free(b->rec);
	free(b->eq);
	free(b->terms);
	free(b->pts);
	free(b->enc);
	table_free(&b->dedup);
	free(b);
}

void batch_clear(urna_batch *b)
{
	b->nrec = b->neq = b->nterm = b->npt = 0; /* the dedup is cleared by the next record */
	b->lost = 0;
}

size_t batch_items(const urna_batch *b)
{
	size_t n = 0;
	for (size_t r = 0; r < b->nrec; r++)
		if (r == 0 || b->rec[r].id != b->rec[r - 1].id)
			n++;
	return n;
}

const uint8_t *batch_K(const urna_batch *b)
{
	return b->has_K ? b->K : NULL;
}

/* Allocation failures mark the record failed: the batch then reports the
 * item as bad rather than passing anything unchecked. */
static record *cur(urna_batch *b)
{
	return b->nrec ? &b->rec[b->nrec - 1] : NULL;
}

static void new_record(urna_batch *b, uint64_t item)
{
	if (array_grow(&b->rec, &b->caprec, b->nrec + 1, sizeof *b->rec, SIZE_MAX / sizeof *b->rec) != 0) {
		if (b->nrec)
			b->rec[b->nrec - 1].failed = 1;
		b->lost = 1; /* item has no record to name it: batch_verify then passes nothing */
		return;
	}
	b->rec[b->nrec++] = (record){.id = item, .first_eq = (uint32_t)b->neq, .first_pt = (uint32_t)b->npt};
	table_clear(&b->dedup);
}

void batch_item(urna_batch *b, uint64_t item)
{
	record *r = cur(b);
	if (!r || r->id != item)
		new_record(b, item);
}

void batch_eq_begin(urna_batch *b, uint64_t item)
{
	batch_item(b, item);
	if (!b->nrec)
		return;
	if (array_grow(&b->eq, &b->capeq, b->neq + 1, sizeof *b->eq, MAX_EQ) != 0) {
		cur(b)->failed = 1;
		return;
	}
	b->eq[b->neq++] = (uint32_t)b->nterm;
}

void batch_fail(urna_batch *b, uint64_t item)
{
	record *r = cur(b);
	if (!r || r->id != item)
		new_record(b, item);
	if (b->nrec)
		cur(b)->failed = 1;
}

static void add_term(urna_batch *b, const uint8_t s[static 32], int32_t pt)
{
	record *r = cur(b);
	if (!r)
		return;
	if (r->first_eq == b->neq) { /* a term outside any equation: fail closed */
		r->failed = 1;
		return;
	}
	if (array_grow(&b->terms, &b->capterm, b->nterm + 1, sizeof *b->terms, MAX_EQ) != 0) {
		r->failed = 1;
		return;
	}
	term *t = &b->terms[b->nterm++];
	decaf_255_scalar_decode_long(t->s, s, 32);
	t->pt = pt;
}

void batch_eq_G(urna_batch *b, const uint8_t s[static 32])
{
	add_term(b, s, PT_G);
}

void batch_eq_K(urna_batch *b, const uint8_t s[static 32])
{
	if (!b->has_K) {
		if (cur(b))
			cur(b)->failed = 1;
		return;
	}
	add_term(b, s, PT_K);
}

static int push_point(urna_batch *b, uint32_t *idx)
{
	if (array_grow(&b->pts, &b->cappt, b->npt + 1, sizeof *b->pts, MAX_PT) != 0 ||
	    array_grow(&b->enc, &b->capenc, b->npt + 1, 32, MAX_PT) != 0)
		return -1;
	*idx = (uint32_t)b->npt++;
	return 0;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void batch_timing(urna_batch *b, int on, uint64_t *decode_ns, uint64_t *ndecode)
{
	if (decode_ns)
		*decode_ns = b->decode_ns, *ndecode = b->ndecode;
	b->timed = on;
	b->decode_ns = b->ndecode = 0;
}

int batch_point(urna_batch *b, uint32_t *idx, const uint8_t enc[static 32])
{
	record *r = cur(b);
	*idx = 0;
	if (!r)
		return -1;
	long seen = table_find(&b->dedup, (const uint8_t(*)[32])b->enc, enc);
	if (seen >= 0) {
		*idx = (uint32_t)seen;
		return 0;
	}
	if (push_point(b, idx) != 0) {
		r->failed = 1;
		return -1;
	}
	uint64_t t0 = b->timed ? mono_ns() : 0;
	decaf_error_t ok = decaf_255_point_decode(b->pts[*idx].p, enc, DECAF_TRUE);
	if (b->timed)
		b->decode_ns += mono_ns() - t0, b->ndecode++;
	if (ok != DECAF_SUCCESS) {
		b->npt--;
		r->failed = 1;
		return -1;
	}
	memcpy(b->enc[*idx], enc, 32);
	(void)table_add(&b->dedup, enc, *idx); /* out of memory: a repeat is decoded again */
	return 0;
}

const vt_point *batch_point_get(const urna_batch *b, uint32_t idx)
{
	return &b->pts[idx];
}

long batch_point_find(const urna_batch *b, uint64_t item, const uint8_t enc[static 32])
{
	const record *r = b->nrec ? &b->rec[b->nrec - 1] : NULL;
	if (!r || r->id != item)
		return -1;
	long i = table_find(&b->dedup, (const uint8_t(*)[32])b->enc, enc);
	return i >= (long)r->first_pt && (size_t)i < b->npt ? i : -1; /* the table holds the current record only */
}

void batch_eq_idx(urna_batch *b, const uint8_t s[static 32], uint32_t idx)
{
	add_term(b, s, (int32_t)idx);
}

int batch_eq_point(urna_batch *b, const uint8_t s[static 32], const uint8_t P[static 32])
{
	uint32_t idx;
	if (batch_point(b, &idx, P) != 0)
		return -1;
	add_term(b, s, (int32_t)idx);
	return 0;
}

/* ---- multi-scalar multiplication ---- */

typedef const struct decaf_255_point_s *pptr;

/* Signed base-2^c digits of s (< 2^253): s = sum d_w 2^(cw), each d_w in
 * [-2^(c-1), 2^(c-1)). Writes nw digits with stride. */
static void recode(int16_t *d, size_t stride, const uint8_t s[32], unsigned c, unsigned nw)
{
	uint8_t buf[40] = {0};
	memcpy(buf, s, 32);
	int carry = 0;
	for (unsigned w = 0; w < nw; w++) {
		unsigned bit = w * c, byte = bit / 8, sh = bit % 8;
		uint32_t v = 0;
		if (byte < 32)
			v = ((uint32_t)buf[byte] | (uint32_t)buf[byte + 1] << 8 | (uint32_t)buf[byte + 2] << 16 |
			     (uint32_t)buf[byte + 3] << 24) >> sh;
		int x = (int)(v & ((1u << c) - 1)) + carry;
		if (x >= (1 << (c - 1))) {
			x -= 1 << c;
			carry = 1;
		} else {
			carry = 0;
		}
		d[(size_t)w * stride] = (int16_t)x;
	}
}

static unsigned bitlen(const uint8_t s[32])
{
	for (int i = 31; i >= 0; i--)
		if (s[i])
			return (unsigned)(i * 8 + 32 - __builtin_clz(s[i]));
	return 0;
}

/* Allocation-free fallback: one multiplication per point. */
static void naive(decaf_255_point_t out, const uint8_t (*s)[32], const pptr *P, const vt_point *const *V, size_t n)
{
	decaf_255_point_t T;
	decaf_255_scalar_t k;
	decaf_255_point_copy(out, decaf_255_point_identity);
	for (size_t i = 0; i < n; i++) {
		decaf_255_scalar_decode_long(k, s[i], 32);
		decaf_255_point_scalarmul(T, P ? P[i] : V[i]->p, k);
		decaf_255_point_add(out, out, T);
	}
}

static void pippenger(decaf_255_point_t out, const uint8_t (*s)[32], const pptr *P, size_t n, unsigned c)
{
	unsigned nw = 253 / c + 1;
	size_t nb = (size_t)1 << (c - 1);
	int16_t *dig = malloc(sizeof *dig * n * nw);
	struct decaf_255_point_s *bk = malloc(sizeof *bk * nb);
	uint8_t *used = malloc(nb);
	decaf_255_point_t run, acc;
	decaf_255_point_copy(out, decaf_255_point_identity);
	if (!dig || !bk || !used) {
		naive(out, s, P, NULL, n);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		recode(dig + i, n, s[i], c, nw);
	for (int w = (int)nw - 1; w >= 0; w--) {
		const int16_t *dw = dig + (size_t)w * n;
		memset(used, 0, nb);
		int any = 0;
		for (size_t i = 0; i < n; i++) {
			int d = dw[i];
			if (!d)
				continue;
			any = 1;
			size_t k = (size_t)(d > 0 ? d : -d) - 1;
			if (used[k]) {
				if (d > 0)
					decaf_255_point_add(&bk[k], &bk[k], P[i]);
				else
					decaf_255_point_sub(&bk[k], &bk[k], P[i]);
			} else {
				if (d > 0)
					decaf_255_point_copy(&bk[k], P[i]);
				else
					decaf_255_point_negate(&bk[k], P[i]);
				used[k] = 1;
			}
		}
		for (unsigned j = 0; j < c && w != (int)nw - 1; j++)
			decaf_255_point_double(out, out);
		if (!any)
			continue;
		int run_set = 0, acc_set = 0;
		for (size_t k = nb; k-- > 0;) {
			if (used[k]) {
				if (run_set)
					decaf_255_point_add(run, run, &bk[k]);
				else
					decaf_255_point_copy(run, &bk[k]);
				run_set = 1;
			}
			if (run_set) {
				if (acc_set)
					decaf_255_point_add(acc, acc, run);
				else
					decaf_255_point_copy(acc, run);
				acc_set = 1;
			}
		}
		decaf_255_point_add(out, out, acc);
	}
out:
	free(dig);
	free(bk);
	free(used);
}

/* Width-5 NAF of s (< 2^256): digits odd in (-16, 16) or 0. Returns the
 * index of the top non-zero digit, -1 for s = 0. */
static void shift_right(uint64_t k[5], unsigned sh) /* 0 < sh < 64 */
{
	for (int j = 0; j < 4; j++)
		k[j] = (k[j] >> sh) | (k[j + 1] << (64 - sh));
	k[4] >>= sh;
}

static int wnaf5(int8_t naf[260], const uint8_t s[32])
{
	uint64_t k[5] = {0};
	for (int i = 0; i < 32; i++)
		k[i / 8] |= (uint64_t)s[i] << (8 * (i % 8));
	memset(naf, 0, 260);
	int top = -1, i = 0;
	while (i < 260 && (k[0] | k[1] | k[2] | k[3] | k[4])) {
		if (!(k[0] & 1)) { /* skip the run of zero bits */
			unsigned tz = k[0] ? (unsigned)__builtin_ctzll(k[0]) : 63;
			shift_right(k, tz);
			i += (int)tz;
			continue;
		}
		int d = (int)(k[0] & 31);
		if (d >= 16)
			d -= 32;
		naf[i] = (int8_t)d;
		top = i;
		if (d > 0) {
			k[0] -= (uint64_t)d; /* the low bits are d: no borrow */
		} else {
			uint64_t add = (uint64_t)-d;
			for (int j = 0; j < 5 && add; j++) {
				k[j] += add;
				add = k[j] < add;
			}
		}
		shift_right(k, 5); /* the low 5 bits are now zero */
		i += 5;
	}
	return top;
}

/* Straus (interleaved wNAF), for small n. */
static void straus(decaf_255_point_t out, const uint8_t (*s)[32], const pptr *P, size_t n)
{
	int8_t (*naf)[260] = malloc(sizeof *naf * n);
	struct decaf_255_point_s (*tab)[8] = malloc(sizeof *tab * n);
	decaf_255_point_t twice;
	int top = -1;
	if (!naf || !tab) {
		naive(out, s, P, NULL, n);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		int t = wnaf5(naf[i], s[i]);
		if (t > top)
			top = t;
		if (t < 0)
			continue;
		decaf_255_point_copy(&tab[i][0], P[i]);
		decaf_255_point_double(twice, P[i]);
		for (int j = 1; j < 8; j++)
			decaf_255_point_add(&tab[i][j], &tab[i][j - 1], twice);
	}
	decaf_255_point_copy(out, decaf_255_point_identity);
	for (int bit = top; bit >= 0; bit--) {
		if (bit != top)
			decaf_255_point_double(out, out);
		for (size_t i = 0; i < n; i++) {
			int d = naf[i][bit];
			if (d > 0)
				decaf_255_point_add(out, out, &tab[i][(d - 1) / 2]);
			else if (d < 0)
				decaf_255_point_sub(out, out, &tab[i][(-d - 1) / 2]);
		}
	}
out:
	free(naf);
	free(tab);
}

/* Picks Straus or Pippenger's window from an estimate of point additions. */
static void msm_raw(decaf_255_point_t out, const uint8_t (*s)[32], const pptr *P, size_t n)
{
	double bits = 0;
	for (size_t i = 0; i < n; i++)
		bits += bitlen(s[i]);
	double best = bits / 6 + 8.0 * (double)n + 253 * 0.8; /* Straus; a doubling ~0.8 add */
	unsigned bestc = 0;
	for (unsigned c = 4; c <= 16; c++) {
		double nw = 253 / c + 1;
		double cost = bits / c + nw * 2.0 * (double)((size_t)1 << (c - 1)) + 253 * 0.8;
		if (cost < best) {
			best = cost;
			bestc = c;
		}
	}
	if (n == 0)
		decaf_255_point_copy(out, decaf_255_point_identity);
	else if (bestc == 0)
		straus(out, s, P, n);
	else
		pippenger(out, s, P, n, bestc);
}

void msm(vt_point *out, const uint8_t (*s)[32], const vt_point *const *P, size_t n)
{
	pptr *pp = malloc(sizeof *pp * (n ? n : 1));
	if (!pp) {
		naive(out->p, s, NULL, P, n);
		return;
	}
	for (size_t i = 0; i < n; i++)
		pp[i] = P[i]->p;
	msm_raw(out->p, s, pp, n);
	free(pp);
}

/* ---- verification ---- */

/* 0 iff the equations of the live records in [r0, r1) hold, with fresh
 * random weights; -1 if not; OOM if it could not allocate. */
#define OOM (-2)
static int verify_range(const urna_batch *b, size_t r0, size_t r1)
{
	size_t neq = 0, npt = 0;
	for (size_t r = r0; r < r1; r++) {
		if (b->rec[r].failed)
			continue;
		size_t e1 = r + 1 < b->nrec ? b->rec[r + 1].first_eq : b->neq;
		size_t p1 = r + 1 < b->nrec ? b->rec[r + 1].first_pt : b->npt;
		neq += e1 - b->rec[r].first_eq;
		npt += p1 - b->rec[r].first_pt;
	}
	if (neq == 0)
		return 0;
	uint8_t seed[randombytes_SEEDBYTES];
	uint8_t *wbytes = malloc(16 * neq);
	decaf_255_scalar_t *coef = malloc(sizeof *coef * (npt + 2));
	uint8_t (*sc)[32] = malloc(32 * (npt + 2));
	pptr *pp = malloc(sizeof *pp * (npt + 2));
	uint32_t *map = NULL; /* point index -> msm slot, for this range */
	size_t pbase = b->rec[r0].first_pt;
	size_t pend = r1 < b->nrec ? b->rec[r1].first_pt : b->npt;
	map = malloc(sizeof *map * (pend - pbase + 1));
	int rc = OOM;
	if (!wbytes || !coef || !sc || !pp || !map)
		goto out;
	randombytes_buf(seed, sizeof seed);
	randombytes_buf_deterministic(wbytes, 16 * neq, seed);

	/* Slots 0 and 1: G and K. */
	size_t n = 2;
	decaf_255_scalar_copy(coef[0], decaf_255_scalar_zero);
	decaf_255_scalar_copy(coef[1], decaf_255_scalar_zero);
	pp[0] = decaf_255_point_base;
	pp[1] = b->Kp;
	for (size_t r = r0; r < r1; r++) {
		if (b->rec[r].failed)
			continue;
		size_t p1 = r + 1 < b->nrec ? b->rec[r + 1].first_pt : b->npt;
		for (size_t p = b->rec[r].first_pt; p < p1; p++) {
			map[p - pbase] = (uint32_t)n;
			decaf_255_scalar_copy(coef[n], decaf_255_scalar_zero);
			pp[n++] = b->pts[p].p;
		}
	}
	size_t wi = 0;
	decaf_255_scalar_t w, t;
	for (size_t r = r0; r < r1; r++) {
		if (b->rec[r].failed)
			continue;
		size_t e1 = r + 1 < b->nrec ? b->rec[r + 1].first_eq : b->neq;
		for (size_t e = b->rec[r].first_eq; e < e1; e++, wi++) {
			decaf_255_scalar_decode_long(w, wbytes + 16 * wi, 16);
			size_t t1 = e + 1 < b->neq ? b->eq[e + 1] : b->nterm;
			for (size_t k = b->eq[e]; k < t1; k++) {
				const term *tm = &b->terms[k];
				size_t slot = tm->pt == PT_G ? 0 : tm->pt == PT_K ? 1 : map[(size_t)tm->pt - pbase];
				decaf_255_scalar_mul(t, tm->s, w);
				decaf_255_scalar_add(coef[slot], coef[slot], t);
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		decaf_255_scalar_encode(sc[i], coef[i]);
	decaf_255_point_t sum;
	msm_raw(sum, (const uint8_t (*)[32])sc, pp, n);
	rc = decaf_255_point_eq(sum, decaf_255_point_identity) == DECAF_TRUE ? 0 : -1;
out:
	free(wbytes);
	free(coef);
	free(sc);
	free(pp);
	free(map);
	return rc;
}

/* Bisects [r0, r1) (known to fail when known_bad) and marks the records
 * that fail on their own. 0, or OOM. */
static int mark_bad(urna_batch *b, size_t r0, size_t r1, int known_bad)
{
	size_t live = 0, last = r0;
	for (size_t r = r0; r < r1; r++)
		if (!b->rec[r].failed) {
			live++;
			last = r;
		}
	if (live == 0)
		return 0;
	if (!known_bad) {
		int rc = verify_range(b, r0, r1);
		if (rc != -1)
			return rc; /* holds, or OOM */
	}
	if (live == 1) {
		b->rec[last].failed = 2; /* failed in the group check */
		return 0;
	}
	size_t mid = r0 + (r1 - r0) / 2;
	if (mark_bad(b, r0, mid, 0) == OOM || mark_bad(b, mid, r1, 0) == OOM)
		return OOM;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int batch_verify(urna_batch *b, uint64_t *bad, size_t bad_cap, size_t *nbad)
{
	*nbad = 0;
	if (b->lost)
		return -1; /* nothing named: see batch.h */
	int rc = verify_range(b, 0, b->nrec);
	if (rc == -1)
		rc = mark_bad(b, 0, b->nrec, 1);
	if (rc == OOM)
		return -1; /* nothing named: see batch.h */
	size_t nf = 0;
	for (size_t r = 0; r < b->nrec; r++)
		nf += b->rec[r].failed != 0;
	if (nf == 0)
		return 0;
	uint64_t *ids = malloc(sizeof *ids * nf);
	if (!ids)
		return -1;
	size_t k = 0;
	for (size_t r = 0; r < b->nrec; r++)
		if (b->rec[r].failed)
			ids[k++] = b->rec[r].id;
	qsort(ids, nf, sizeof *ids, cmp_u64);
	size_t uniq = 0;
	for (size_t i = 0; i < nf; i++)
		if (i == 0 || ids[i] != ids[i - 1]) {
			if (uniq < bad_cap)
				bad[uniq] = ids[i];
			uniq++;
		}
	*nbad = uniq;
	free(ids);
	return -1;
}
