/* ballot.c: the ballot (docs/protocol.md s.6, s.14). */
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "record/ballot.h"

#define KEYS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* The signed ballot ends with the signature, its last key in sorted order:
 * ,"signature":{"A":"<43>","z":"<43>"}} — 115 bytes. */
#define SIG_TAIL 115

ballot *ballot_new(void)
{
	return malloc(sizeof(ballot));
}

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static int scratch_ok;

static void scratch_init(void)
{
	scratch_ok = pthread_key_create(&scratch_key, free) == 0;
}

ballot *ballot_scratch(void)
{
	ballot *b;
	pthread_once(&scratch_once, scratch_init);
	if (!scratch_ok)
		return NULL;
	if (!(b = pthread_getspecific(scratch_key)) && (b = ballot_new()) && pthread_setspecific(scratch_key, b)) {
		free(b);
		b = NULL;
	}
	return b;
}

static int get_proof(urna_range *pf, const json_t *l, uint32_t nmin, uint32_t nmax, urna_err *e)
{
	size_t n = json_array_size(l);
	if (!json_is_array(l) || n < nmin || n > nmax)
		return err_set(e, URNA_E_MALFORMED, "a proof must have %u..%u branches", nmin, nmax);
	pf->lo = 0;
	pf->hi = (uint32_t)n - 1;
	for (size_t j = 0; j < n; j++) {
		json_t *o = json_array_get(l, j);
		urna_branch *br = &pf->br[j];
		if (canon_keys(o, KEYS("A", "B", "c", "z"), "proof branch", e) || canon_get_b64(br->A, 32, o, "A", e) ||
		    canon_get_b64(br->B, 32, o, "B", e) || canon_get_scalar(br->c, o, "c", e) ||
		    canon_get_scalar(br->z, o, "z", e))
			return -1;
	}
	return 0;
}

/* ---- the fast path: a byte-level reader of exactly the canonical form ----
 * Accepts only the layout s.13 and s.14 imply (keys in sorted order, no
 * whitespace, strings of base64url or id characters, which need no escape),
 * so whatever it accepts is canonical by construction and means what the
 * jansson path would read. Anything else goes to the jansson path, which
 * gives the precise error. */

typedef struct { const char *p, *end; } rd;

static int rd_lit(rd *r, const char *s, size_t n)
{
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, s, n))
		return -1;
	r->p += n;
	return 0;
}
#define LIT(r, s) rd_lit(r, s, sizeof(s) - 1)

/* "<43 base64url chars>" into out[32]; scalar: also < l. */
static int rd_b64(rd *r, uint8_t out[32], int scalar)
{
	if (r->end - r->p < 45 || r->p[0] != '"' || r->p[44] != '"' ||
	    b64url_decode(out, 32, r->p + 1, 43) != 0 || (scalar && scalar_check(out) != 0))
		return -1;
	r->p += 45;
	return 0;
}

static int rd_id(rd *r, char out[URNA_ID_MAX])
{
	size_t n = 0;
	if (LIT(r, "\""))
		return -1;
	while (r->p < r->end && *r->p != '"' && n + 1 < URNA_ID_MAX)
		out[n++] = *r->p++;
	out[n] = '\0';
	return LIT(r, "\"") || !canon_id_ok(out) ? -1 : 0;
}

static int rd_proof(rd *r, urna_range *pf, uint32_t nmin, uint32_t nmax)
{
	uint32_t n = 0;
	if (LIT(r, "["))
		return -1;
	do {
		urna_branch *br = &pf->br[n];
		if (n >= nmax || LIT(r, "{\"A\":") || rd_b64(r, br->A, 0) || LIT(r, ",\"B\":") || rd_b64(r, br->B, 0) ||
		    LIT(r, ",\"c\":") || rd_b64(r, br->c, 1) || LIT(r, ",\"z\":") || rd_b64(r, br->z, 1) || LIT(r, "}"))
			return -1;
		n++;
	} while (LIT(r, ",") == 0);
	if (LIT(r, "]") || n < nmin)
		return -1;
	pf->lo = 0;
	pf->hi = n - 1;
	return 0;
}

static int fast_parse(ballot *b, const char *bytes, size_t len)
{
	rd r = {bytes, bytes + len};
	uint32_t q = 0;
	if (LIT(&r, "{\"answers\":["))
		return -1;
	do {
		uint32_t k = 0;
		if (q >= URNA_MAX_QUESTIONS || LIT(&r, "{\"choices\":["))
			return -1;
		do {
			if (k >= URNA_MAX_CHOICES || LIT(&r, "{\"alpha\":") || rd_b64(&r, b->ct[q][k].alpha, 0) ||
			    LIT(&r, ",\"beta\":") || rd_b64(&r, b->ct[q][k].beta, 0) || LIT(&r, ",\"proof\":") ||
			    rd_proof(&r, &b->pf[q][k], 2, 2) || LIT(&r, "}"))
				return -1;
			k++;
		} while (LIT(&r, ",") == 0);
		b->m[q] = k;
		if (LIT(&r, "],\"proof\":") || rd_proof(&r, &b->sum[q], 1, URNA_MAX_RANGE) || LIT(&r, "}"))
			return -1;
		q++;
	} while (LIT(&r, ",") == 0);
	if (LIT(&r, "],\"credential\":") || rd_b64(&r, b->X, 0) || LIT(&r, ",\"referendum\":") ||
	    rd_id(&r, b->referendum) || LIT(&r, ",\"region\":") || rd_id(&r, b->region) ||
	    LIT(&r, ",\"signature\":{\"A\":") || rd_b64(&r, b->sig.A, 0) || LIT(&r, ",\"z\":") ||
	    rd_b64(&r, b->sig.z, 1) || LIT(&r, "}}") || r.p != r.end)
		return -1;
	b->nq = q;
	return 0;
}

/* hash32 of the unsigned ballot and of the ballot (the tracker). */
static int ballot_hashes(ballot *b, const char *bytes, size_t len, urna_err *e)
{
	char *uns;
	if (len < SIG_TAIL + 2 || memcmp(bytes + len - SIG_TAIL, ",\"signature\":{\"A\":\"", 19) != 0)
		return err_set(e, URNA_E_MALFORMED, "the signature must be the ballot's last member");
	if (!(uns = malloc(len)))
		return err_set(e, URNA_E_IO, "out of memory");
	memcpy(uns, bytes, len - SIG_TAIL);
	uns[len - SIG_TAIL] = '}';
	hash32(b->msg, uns, len - SIG_TAIL + 1);
	hash32(b->tracker, bytes, len);
	free(uns);
	return 0;
}

int ballot_parse(ballot *b, const char *bytes, size_t len, urna_err *e)
{
	json_t *v = NULL, *as, *sig;
	int rc = -1;

	b->nq = 0;
	memset(b->h_R, 0, sizeof b->h_R); /* ballot_shape_ok sets it */
	if (len <= URNA_BALLOT_MAX && fast_parse(b, bytes, len) == 0) {
		if (ballot_hashes(b, bytes, len, e)) {
			b->nq = 0;
			return -1;
		}
		return 0;
	}
	b->nq = 0;
	if (!(v = canon_parse(bytes, len, URNA_BALLOT_MAX, e)))
		goto out;
	as = json_object_get(v, "answers");
	sig = json_object_get(v, "signature");
	if (canon_keys(v, KEYS("answers", "credential", "referendum", "region", "signature"), "ballot", e) ||
	    canon_get_id(b->referendum, v, "referendum", e) || canon_get_id(b->region, v, "region", e) ||
	    canon_get_b64(b->X, 32, v, "credential", e) || canon_keys(sig, KEYS("A", "z"), "signature", e) ||
	    canon_get_b64(b->sig.A, 32, sig, "A", e) || canon_get_scalar(b->sig.z, sig, "z", e))
		goto out;
	if (!json_is_array(as) || json_array_size(as) < 1 || json_array_size(as) > URNA_MAX_QUESTIONS) {
		err_set(e, URNA_E_MALFORMED, "\"answers\" must have 1..%d entries", URNA_MAX_QUESTIONS);
		goto out;
	}
	for (size_t q = 0; q < json_array_size(as); q++) {
		json_t *a = json_array_get(as, q), *cs = json_object_get(a, "choices");
		if (canon_keys(a, KEYS("choices", "proof"), "answer", e))
			goto out;
		if (!json_is_array(cs) || json_array_size(cs) < 1 || json_array_size(cs) > URNA_MAX_CHOICES) {
			err_set(e, URNA_E_MALFORMED, "answer %zu: \"choices\" must have 1..%d entries", q + 1, URNA_MAX_CHOICES);
			goto out;
		}
		b->m[q] = (uint32_t)json_array_size(cs);
		for (uint32_t k = 0; k < b->m[q]; k++) {
			json_t *c = json_array_get(cs, k);
			if (canon_keys(c, KEYS("alpha", "beta", "proof"), "choice", e) ||
			    canon_get_b64(b->ct[q][k].alpha, 32, c, "alpha", e) || canon_get_b64(b->ct[q][k].beta, 32, c, "beta", e) ||
			    get_proof(&b->pf[q][k], json_object_get(c, "proof"), 2, 2, e))
				goto out;
		}
		if (get_proof(&b->sum[q], json_object_get(a, "proof"), 1, URNA_MAX_RANGE, e))
			goto out;
	}
	b->nq = (uint32_t)json_array_size(as);
	if (ballot_hashes(b, bytes, len, e))
		goto out;
	rc = 0;
out:
	if (rc)
		b->nq = 0;
	json_decref(v);
	return rc;
}

int ballot_shape_ok(ballot *b, const manifest *m, urna_err *e)
{
	if (b->nq != m->nq)
		return err_set(e, URNA_E_MALFORMED, "ballot has %u answers, region %s has %u questions", b->nq, m->id, m->nq);
	for (uint32_t q = 0; q < m->nq; q++) {
		if (b->m[q] != m->m[q])
			return err_set(e, URNA_E_MALFORMED, "answer %u has %u choices, question has %u", q + 1, b->m[q], m->m[q]);
		if (b->sum[q].hi != m->max[q] - m->min[q])
			return err_set(e, URNA_E_MALFORMED, "answer %u: sum proof needs %u branches (min..max)", q + 1,
			               m->max[q] - m->min[q] + 1);
		b->sum[q].lo = m->min[q];
		b->sum[q].hi = m->max[q];
	}
	memcpy(b->h_R, m->h_R, 32);
	return 0;
}

static void bind(urna_bind *bd, const uint8_t h_R[32], const uint8_t h_E[32], const uint8_t K[32],
                 const uint8_t X[32])
{
	memcpy(bd->h_R, h_R, 32);
	memcpy(bd->h_E, h_E, 32);
	memcpy(bd->K, K, 32);
	memcpy(bd->X, X, 32);
}

int ballot_batch_add(urna_batch *bt, uint64_t item, const ballot *b, const uint8_t h_E[static 32],
                     const uint8_t K[static 32])
{
	urna_bind bd;
	int rc = 0;
	bind(&bd, b->h_R, h_E, K, b->X);
	for (uint32_t q = 0; q < b->nq && rc == 0; q++) {
		for (uint32_t k = 0; k < b->m[q] && rc == 0; k++)
			rc |= range_batch_add(bt, item, &b->pf[q][k], &bd, q, k, &b->ct[q][k], 0, 1);
		if (rc == 0)
			rc |= range_batch_add_sum(bt, item, &b->sum[q], &bd, q, b->ct[q], b->m[q], b->sum[q].lo, b->sum[q].hi);
	}
	if (rc == 0)
		rc |= sig_batch_add(bt, item, &b->sig, &bd, b->msg);
	if (rc)
		batch_fail(bt, item);
	return rc ? -1 : 0;
}

/* 0 when every point of b decodes (X not the identity). */
static int points_ok(const ballot *b)
{
	if (point_check_nonzero(b->X) || point_check(b->sig.A))
		return -1;
	for (uint32_t q = 0; q < b->nq; q++) {
		for (uint32_t k = 0; k < b->m[q]; k++) {
			const urna_range *pf = &b->pf[q][k];
			if (point_check(b->ct[q][k].alpha) || point_check(b->ct[q][k].beta))
				return -1;
			for (uint32_t j = 0; j <= pf->hi - pf->lo; j++)
				if (point_check(pf->br[j].A) || point_check(pf->br[j].B))
					return -1;
		}
		for (uint32_t j = 0; j <= b->sum[q].hi - b->sum[q].lo; j++)
			if (point_check(b->sum[q].br[j].A) || point_check(b->sum[q].br[j].B))
				return -1;
	}
	return 0;
}

int ballot_verify(const ballot *b, const uint8_t h_E[static 32], const uint8_t K[static 32], urna_err *e)
{
	urna_batch *bt = batch_new(K);
	urna_bind bd;
	uint64_t bad[1];
	size_t nbad = 0;
	int rc = -1;
	if (!bt)
		return err_set(e, URNA_E_IO, "out of memory");
	bind(&bd, b->h_R, h_E, K, b->X);
	if (ballot_batch_add(bt, 0, b, h_E, K) == 0 && batch_verify(bt, bad, 1, &nbad) == 0) {
		rc = 0;
	} else if (points_ok(b) != 0) {
		err_set(e, URNA_E_BAD_ENCODING, "a point of the ballot is not a canonical ristretto255 encoding");
	} else if (sig_verify(&b->sig, &bd, b->msg) != 0) {
		err_set(e, URNA_E_BAD_SIGNATURE, "the ballot's signature does not verify under its credential");
	} else {
		err_set(e, URNA_E_BAD_PROOF, "a proof of the ballot does not verify");
	}
	batch_free(bt);
	return rc;
}

static json_t *proof_json(const urna_range *pf)
{
	json_t *l = json_array();
	for (uint32_t j = 0; j <= pf->hi - pf->lo; j++)
		json_array_append_new(l, json_pack("{s:o,s:o,s:o,s:o}", "A", canon_b64(pf->br[j].A, 32), "B",
		                                   canon_b64(pf->br[j].B, 32), "c", canon_b64(pf->br[j].c, 32), "z",
		                                   canon_b64(pf->br[j].z, 32)));
	return l;
}

int ballot_make(char **out, size_t *len, uint8_t tracker[static 32], const char *referendum, const char *region,
                const manifest *m, const uint8_t h_E[static 32], const uint8_t K[static 32],
                const uint8_t x[static 32], const uint8_t X[static 32],
                const uint8_t sel[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES],
                uint8_t r_out[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES][32], urna_err *e)
{
	uint8_t r[URNA_MAX_CHOICES][32], R[32], msg[32];
	urna_range *pf = malloc(sizeof *pf);
	urna_schnorr sig;
	urna_bind bd;
	json_t *v = NULL, *as = json_array();
	char *uns = NULL;
	size_t ulen;
	int rc = -1;

	*out = NULL;
	*len = 0;
	if (!pf || !as) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	bind(&bd, m->h_R, h_E, K, X);
	for (uint32_t q = 0; q < m->nq; q++) {
		json_t *cs = json_array();
		urna_ct ct[URNA_MAX_CHOICES], sum;
		uint32_t count = 0;
		json_array_append_new(as, json_pack("{s:o}", "choices", cs));
		for (uint32_t k = 0; k < m->m[q]; k++) {
			uint32_t val = sel[q][k] ? 1 : 0;
			count += val;
			if (elgamal_encrypt(&ct[k], r[k], K, val) || range_prove(pf, &bd, q, k, &ct[k], r[k], val, 0, 1)) {
				err_set(e, URNA_E_BAD_ENCODING, "cannot encrypt under this key");
				goto out;
			}
			json_array_append_new(cs, json_pack("{s:o,s:o,s:o}", "alpha", canon_b64(ct[k].alpha, 32), "beta",
			                                    canon_b64(ct[k].beta, 32), "proof", proof_json(pf)));
			if (r_out)
				memcpy(r_out[q][k], r[k], 32);
		}
		if (count < m->min[q] || count > m->max[q]) {
			err_set(e, URNA_E_MALFORMED, "question %u: %u selected, %u..%u allowed", q + 1, count, m->min[q], m->max[q]);
			goto out;
		}
		sum = ct[0];
		memcpy(R, r[0], 32);
		for (uint32_t k = 1; k < m->m[q]; k++) {
			if (ct_add(&sum, &sum, &ct[k]))
				goto out;
			scalar_add(R, R, r[k]);
		}
		if (range_prove(pf, &bd, q, URNA_SUM_CHOICE, &sum, R, count, m->min[q], m->max[q])) {
			err_set(e, URNA_E_MALFORMED, "cannot prove question %u's sum", q + 1);
			goto out;
		}
		json_object_set_new(json_array_get(as, q), "proof", proof_json(pf));
	}
	v = json_pack("{s:O,s:o,s:s,s:s}", "answers", as, "credential", canon_b64(X, 32), "referendum", referendum,
	              "region", region);
	if (!v || !(uns = canon_encode(v, &ulen))) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	hash32(msg, uns, ulen);
	if (sig_sign(&sig, &bd, msg, x)) {
		err_set(e, URNA_E_BAD_ENCODING, "cannot sign with this credential");
		goto out;
	}
	json_object_set_new(v, "signature", json_pack("{s:o,s:o}", "A", canon_b64(sig.A, 32), "z", canon_b64(sig.z, 32)));
	if (!(*out = canon_encode(v, len))) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	if (*len > URNA_BALLOT_MAX) {
		free(*out);
		*out = NULL;
		*len = 0;
		err_set(e, URNA_E_TOO_LARGE, "ballot over %u bytes", URNA_BALLOT_MAX);
		goto out;
	}
	hash32(tracker, *out, *len);
	rc = 0;
out:
	sodium_memzero(r, sizeof r);
	sodium_memzero(R, sizeof R);
	free(pf);
	free(uns);
	json_decref(as);
	json_decref(v);
	return rc;
}
