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

/* {"alpha":P,"beta":P,"proof":[...]}: a choice (two branches) or, with
 * 1..URNA_MAX_PACKED branches, a packed answer. The opening brace is read. */
static int rd_ct(rd *r, urna_ct *ct, urna_range *pf, uint32_t nmin, uint32_t nmax)
{
	return LIT(r, "\"alpha\":") || rd_b64(r, ct->alpha, 0) || LIT(r, ",\"beta\":") || rd_b64(r, ct->beta, 0) ||
	               LIT(r, ",\"proof\":") || rd_proof(r, pf, nmin, nmax) || LIT(r, "}")
	           ? -1
	           : 0;
}

static int fast_parse(ballot *b, const char *bytes, size_t len, int want_sig)
{
	rd r = {bytes, bytes + len};
	uint32_t q = 0;
	if (LIT(&r, "{\"answers\":["))
		return -1;
	do {
		uint32_t k = 0;
		if (q >= URNA_MAX_QUESTIONS || LIT(&r, "{"))
			return -1;
		b->packed[q] = LIT(&r, "\"choices\":[") != 0;
		if (b->packed[q]) {
			if (rd_ct(&r, &b->ct[q][0], &b->pf[q][0], 1, URNA_MAX_PACKED))
				return -1;
			b->m[q] = 1;
			q++;
			continue;
		}
		do {
			if (k >= URNA_MAX_CHOICES || LIT(&r, "{") || rd_ct(&r, &b->ct[q][k], &b->pf[q][k], 2, 2))
				return -1;
			k++;
		} while (LIT(&r, ",") == 0);
		b->m[q] = k;
		if (LIT(&r, "],\"proof\":") || rd_proof(&r, &b->sum[q], 1, URNA_MAX_RANGE) || LIT(&r, "}"))
			return -1;
		q++;
	} while (LIT(&r, ",") == 0);
	if (LIT(&r, "],\"credential\":") || rd_b64(&r, b->X, 0) || LIT(&r, ",\"referendum\":") ||
	    rd_id(&r, b->referendum) || LIT(&r, ",\"region\":") || rd_id(&r, b->region))
		return -1;
	if (want_sig && (LIT(&r, ",\"signature\":{\"A\":") || rd_b64(&r, b->sig.A, 0) || LIT(&r, ",\"z\":") ||
	                 rd_b64(&r, b->sig.z, 1) || LIT(&r, "}")))
		return -1;
	if (LIT(&r, "}") || r.p != r.end)
		return -1;
	b->nq = q;
	return 0;
}

/* The tracker: hash32 of the unsigned ballot (s.14). A signed ballot's
 * signature is its last member, SIG_TAIL bytes before the final brace. */
static int ballot_hashes(ballot *b, const char *bytes, size_t len, urna_err *e)
{
	char *uns;
	if (!b->has_sig) {
		hash32(b->tracker, bytes, len);
		return 0;
	}
	if (len < SIG_TAIL + 2 || memcmp(bytes + len - SIG_TAIL, ",\"signature\":{\"A\":\"", 19) != 0)
		return err_set(e, URNA_E_MALFORMED, "the signature must be the ballot's last member");
	if (!(uns = malloc(len)))
		return err_set(e, URNA_E_IO, "out of memory");
	memcpy(uns, bytes, len - SIG_TAIL);
	uns[len - SIG_TAIL] = '}';
	hash32(b->tracker, uns, len - SIG_TAIL + 1);
	free(uns);
	return 0;
}

/* One answer through jansson: packed ({"alpha","beta","proof"}) or of
 * choices ({"choices","proof"}), told apart by "choices". */
static int get_answer(ballot *b, uint32_t q, const json_t *a, urna_err *e)
{
	json_t *cs = json_object_get(a, "choices");
	if (json_is_object(a) && !cs) {
		b->packed[q] = 1;
		b->m[q] = 1;
		if (canon_keys(a, KEYS("alpha", "beta", "proof"), "packed answer", e) ||
		    canon_get_b64(b->ct[q][0].alpha, 32, a, "alpha", e) || canon_get_b64(b->ct[q][0].beta, 32, a, "beta", e) ||
		    get_proof(&b->pf[q][0], json_object_get(a, "proof"), 1, URNA_MAX_PACKED, e))
			return err_prefix(e, "answer %u", q + 1);
		return 0;
	}
	b->packed[q] = 0;
	if (canon_keys(a, KEYS("choices", "proof"), "answer", e))
		return -1;
	if (!json_is_array(cs) || json_array_size(cs) < 1 || json_array_size(cs) > URNA_MAX_CHOICES)
		return err_set(e, URNA_E_MALFORMED, "answer %u: \"choices\" must have 1..%d entries", q + 1, URNA_MAX_CHOICES);
	b->m[q] = (uint32_t)json_array_size(cs);
	for (uint32_t k = 0; k < b->m[q]; k++) {
		json_t *c = json_array_get(cs, k);
		if (canon_keys(c, KEYS("alpha", "beta", "proof"), "choice", e) ||
		    canon_get_b64(b->ct[q][k].alpha, 32, c, "alpha", e) || canon_get_b64(b->ct[q][k].beta, 32, c, "beta", e) ||
		    get_proof(&b->pf[q][k], json_object_get(c, "proof"), 2, 2, e))
			return -1;
	}
	return get_proof(&b->sum[q], json_object_get(a, "proof"), 1, URNA_MAX_RANGE, e);
}

static int parse(ballot *b, const char *bytes, size_t len, int want_sig, urna_err *e)
{
	json_t *v = NULL, *as, *sig;
	int rc = -1;

	b->nq = 0;
	b->has_sig = want_sig;
	memset(b->h_R, 0, sizeof b->h_R); /* ballot_shape_ok sets it */
	if (len <= URNA_BALLOT_MAX && fast_parse(b, bytes, len, want_sig) == 0) {
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
	if (json_is_object(v) && want_sig && !sig) {
		err_set(e, URNA_E_MALFORMED, "the ballot has no signature (an unsigned ballot, as in an audit file, "
		        "cannot be cast)");
		goto out;
	}
	if (json_is_object(v) && !want_sig && sig) {
		err_set(e, URNA_E_MALFORMED, "the ballot is signed: an audited ballot is never signed, so that it "
		        "cannot be cast (s.16)");
		goto out;
	}
	if (canon_keys(v, want_sig ? KEYS("answers", "credential", "referendum", "region", "signature")
	                           : KEYS("answers", "credential", "referendum", "region"),
	               "ballot", e) ||
	    canon_get_id(b->referendum, v, "referendum", e) || canon_get_id(b->region, v, "region", e) ||
	    canon_get_b64(b->X, 32, v, "credential", e))
		goto out;
	if (want_sig && (canon_keys(sig, KEYS("A", "z"), "signature", e) || canon_get_b64(b->sig.A, 32, sig, "A", e) ||
	                 canon_get_scalar(b->sig.z, sig, "z", e)))
		goto out;
	if (!json_is_array(as) || json_array_size(as) < 1 || json_array_size(as) > URNA_MAX_QUESTIONS) {
		err_set(e, URNA_E_MALFORMED, "\"answers\" must have 1..%d entries", URNA_MAX_QUESTIONS);
		goto out;
	}
	for (size_t q = 0; q < json_array_size(as); q++)
		if (get_answer(b, (uint32_t)q, json_array_get(as, q), e))
			goto out;
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

int ballot_parse(ballot *b, const char *bytes, size_t len, urna_err *e)
{
	return parse(b, bytes, len, 1, e);
}

int ballot_parse_unsigned(ballot *b, const char *bytes, size_t len, urna_err *e)
{
	return parse(b, bytes, len, 0, e);
}

int ballot_shape_ok(ballot *b, const manifest *m, uint64_t electorate, urna_err *e)
{
	uint64_t M = packed_base(electorate);
	if (b->nq != m->nq)
		return err_set(e, URNA_E_MALFORMED, "ballot has %u answers, region %s has %u questions", b->nq, m->id, m->nq);
	for (uint32_t q = 0; q < m->nq; q++) {
		if (b->packed[q] != manifest_packed(m, q))
			return err_set(e, URNA_E_MALFORMED, b->packed[q] ? "answer %u is packed (one ciphertext), the question "
			               "needs one ciphertext per choice" : "answer %u must be packed (one ciphertext: its "
			               "question has max 1 and at most 2 choices, s.6)", q + 1);
		if (b->packed[q]) {
			if (m->m[q] == 2 && !M)
				return err_set(e, URNA_E_MALFORMED, "answer %u: region %s's electorate (%llu) gives no packing base",
				               q + 1, m->id, (unsigned long long)electorate);
			b->nvals[q] = packed_values(m, q, M, b->vals[q]);
			if (b->pf[q][0].hi + 1 != b->nvals[q])
				return err_set(e, URNA_E_MALFORMED, "answer %u: its proof needs %u branches (one per allowed value)",
				               q + 1, b->nvals[q]);
			continue;
		}
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
		if (b->packed[q]) {
			rc |= packed_batch_add(bt, item, &b->pf[q][0], &bd, q, &b->ct[q][0], b->vals[q], b->nvals[q]);
			continue;
		}
		for (uint32_t k = 0; k < b->m[q] && rc == 0; k++)
			rc |= range_batch_add(bt, item, &b->pf[q][k], &bd, q, k, &b->ct[q][k], 0, 1);
		if (rc == 0)
			rc |= range_batch_add_sum(bt, item, &b->sum[q], &bd, q, b->ct[q], b->m[q], b->sum[q].lo, b->sum[q].hi);
	}
	if (rc == 0 && b->has_sig)
		rc |= sig_batch_add(bt, item, &b->sig, &bd, b->tracker);
	if (rc)
		batch_fail(bt, item);
	return rc ? -1 : 0;
}

static int branches_ok(const urna_range *pf)
{
	for (uint32_t j = 0; j <= pf->hi - pf->lo; j++)
		if (point_check(pf->br[j].A) || point_check(pf->br[j].B))
			return -1;
	return 0;
}

/* 0 when every point of b decodes (X not the identity). */
static int points_ok(const ballot *b)
{
	if (point_check_nonzero(b->X) || (b->has_sig && point_check(b->sig.A)))
		return -1;
	for (uint32_t q = 0; q < b->nq; q++) {
		for (uint32_t k = 0; k < b->m[q]; k++)
			if (point_check(b->ct[q][k].alpha) || point_check(b->ct[q][k].beta) || branches_ok(&b->pf[q][k]))
				return -1;
		if (!b->packed[q] && branches_ok(&b->sum[q]))
			return -1;
	}
	return 0;
}

/* The first proof of b that fails alone, named in e; -1 (bad_proof). */
static int name_bad_proof(const ballot *b, const urna_bind *bd, urna_err *e)
{
	for (uint32_t q = 0; q < b->nq; q++) {
		if (b->packed[q]) {
			if (packed_verify(&b->pf[q][0], bd, q, &b->ct[q][0], b->vals[q], b->nvals[q]) != 0) {
				char allowed[96] = "";
				size_t o = 0;
				for (uint32_t i = 0; i < b->nvals[q] && o < sizeof allowed; i++)
					o += (size_t)snprintf(allowed + o, sizeof allowed - o, "%s%llu", i ? ", " : "",
					                      (unsigned long long)b->vals[q][i]);
				return err_set(e, URNA_E_BAD_PROOF, "answer %u (packed): the proof that its ciphertext holds one of "
				               "%s does not verify", q + 1, allowed);
			}
			continue;
		}
		for (uint32_t k = 0; k < b->m[q]; k++)
			if (range_verify(&b->pf[q][k], bd, q, k, &b->ct[q][k], 0, 1) != 0)
				return err_set(e, URNA_E_BAD_PROOF, "answer %u choice %u: the proof that it holds 0 or 1 does not "
				               "verify", q + 1, k + 1);
		urna_ct sum = b->ct[q][0];
		for (uint32_t k = 1; k < b->m[q]; k++)
			if (ct_add(&sum, &sum, &b->ct[q][k]) != 0)
				break;
		if (range_verify(&b->sum[q], bd, q, URNA_SUM_CHOICE, &sum, b->sum[q].lo, b->sum[q].hi) != 0)
			return err_set(e, URNA_E_BAD_PROOF, "answer %u: the proof that %u..%u choices are selected does not "
			               "verify", q + 1, b->sum[q].lo, b->sum[q].hi);
	}
	return err_set(e, URNA_E_BAD_PROOF, "a proof of the ballot does not verify");
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
	} else if (b->has_sig && sig_verify(&b->sig, &bd, b->tracker) != 0) {
		err_set(e, URNA_E_BAD_SIGNATURE, "the ballot's signature does not verify under its credential");
	} else {
		name_bad_proof(b, &bd, e);
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

static json_t *ct_json(const urna_ct *ct, const urna_range *pf)
{
	return json_pack("{s:o,s:o,s:o}", "alpha", canon_b64(ct->alpha, 32), "beta", canon_b64(ct->beta, 32), "proof",
	                 proof_json(pf));
}

/* Where ballot_make's random scalars come from: the system's source, or a
 * fixed list (ballot_make_from). */
typedef struct {
	const uint8_t (*s)[32];
	size_t n, used;
	int fixed;
} draws;

/* The next k scalars into out. -1 when a fixed list runs out. */
static int draw(draws *d, uint8_t (*out)[32], size_t k)
{
	if (!d->fixed) {
		for (size_t i = 0; i < k; i++)
			scalar_random(out[i]);
		return 0;
	}
	if (d->n - d->used < k)
		return -1;
	memcpy(out, d->s + d->used, 32 * k);
	d->used += k;
	return 0;
}

/* Question q's answer, packed (s.6): v = 0 (blank), 1 (choice 1) or M
 * (choice 2), found without a branch on the selection: idx is the index
 * of v among the allowed values. */
static json_t *packed_answer(const urna_bind *bd, uint32_t q, const manifest *m, uint64_t M,
                             const uint8_t sel[URNA_MAX_CHOICES], uint8_t r[32], draws *dr, urna_err *e)
{
	uint8_t rnd[2 * URNA_MAX_PACKED][32];
	uint64_t vals[URNA_MAX_PACKED];
	urna_range pf;
	urna_ct ct;
	json_t *j = NULL;
	uint32_t n = packed_values(m, q, M, vals), off = m->min[q] == 0, cnt = sel[0] + (m->m[q] == 2 ? sel[1] : 0);
	/* cnt is 0 (blank, off = 1) or 1: idx = off + k for choice k selected */
	uint32_t idx = cnt * (off + (m->m[q] == 2 ? sel[1] : 0));
	if (draw(dr, (uint8_t(*)[32])r, 1) || draw(dr, rnd, 2 * n)) {
		err_set(e, URNA_E_MALFORMED, "not enough draws for question %u", q + 1);
		goto out;
	}
	if (packed_encrypt(&ct, r, bd->K, vals, n, idx) || packed_prove(&pf, bd, q, &ct, r, vals, n, idx, rnd)) {
		err_set(e, URNA_E_BAD_ENCODING, "cannot encrypt question %u under this key", q + 1);
		goto out;
	}
	j = ct_json(&ct, &pf);
out:
	sodium_memzero(rnd, sizeof rnd);
	sodium_memzero(&pf, sizeof pf);
	idx = 0;
	return j;
}

/* Question q's answer, one ciphertext per choice and the sum's proof. */
static json_t *choices_answer(const urna_bind *bd, uint32_t q, const manifest *m, const uint8_t sel[URNA_MAX_CHOICES],
                              uint8_t (*r)[32], draws *dr, urna_err *e)
{
	uint8_t rnd[2 * URNA_MAX_RANGE][32], R[32];
	urna_ct ct[URNA_MAX_CHOICES], sum;
	urna_range *pf = malloc(sizeof *pf);
	json_t *cs = json_array(), *j = NULL;
	uint32_t count = 0, n = m->max[q] - m->min[q] + 1;
	if (!pf || !cs) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	for (uint32_t k = 0; k < m->m[q]; k++) {
		uint32_t val = sel[k] ? 1 : 0;
		count += val;
		if (draw(dr, &r[k], 1) || draw(dr, rnd, 4)) {
			err_set(e, URNA_E_MALFORMED, "not enough draws for question %u", q + 1);
			goto out;
		}
		if (elgamal_encrypt_with(&ct[k], r[k], bd->K, val) ||
		    range_prove_with(pf, bd, q, k, &ct[k], r[k], val, 0, 1, rnd)) {
			err_set(e, URNA_E_BAD_ENCODING, "cannot encrypt under this key");
			goto out;
		}
		json_array_append_new(cs, ct_json(&ct[k], pf));
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
	if (draw(dr, rnd, 2 * n)) {
		err_set(e, URNA_E_MALFORMED, "not enough draws for question %u", q + 1);
		goto out;
	}
	if (range_prove_with(pf, bd, q, URNA_SUM_CHOICE, &sum, R, count, m->min[q], m->max[q], rnd)) {
		err_set(e, URNA_E_MALFORMED, "cannot prove question %u's sum", q + 1);
		goto out;
	}
	j = json_pack("{s:O,s:o}", "choices", cs, "proof", proof_json(pf));
out:
	sodium_memzero(rnd, sizeof rnd);
	sodium_memzero(R, sizeof R);
	free(pf);
	json_decref(cs);
	return j;
}

static int make(char **out, size_t *len, uint8_t tracker[static 32], const char *referendum, const char *region,
                const manifest *m, uint64_t electorate, const uint8_t h_E[static 32], const uint8_t K[static 32],
                const uint8_t *x, const uint8_t X[static 32], const uint8_t sel[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES],
                uint8_t r_out[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES][32], draws *dr, urna_err *e)
{
	uint8_t r[URNA_MAX_CHOICES][32], w[1][32];
	uint64_t M = packed_base(electorate);
	urna_schnorr sig;
	urna_bind bd;
	json_t *v = NULL, *as = json_array();
	char *uns = NULL;
	size_t ulen;
	int rc = -1;

	*out = NULL;
	*len = 0;
	memset(tracker, 0, 32);
	if (!as) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	bind(&bd, m->h_R, h_E, K, X);
	for (uint32_t q = 0; q < m->nq; q++) {
		json_t *a;
		if (manifest_packed(m, q)) {
			uint32_t cnt = 0;
			for (uint32_t k = 0; k < m->m[q]; k++)
				cnt += sel[q][k] ? 1 : 0;
			if (cnt < m->min[q] || cnt > 1) {
				err_set(e, URNA_E_MALFORMED, "question %u: %u selected, %u..1 allowed", q + 1, cnt, m->min[q]);
				goto out;
			}
			if (m->m[q] == 2 && !M) {
				err_set(e, URNA_E_MALFORMED, "question %u: no packing base for an electorate of %llu", q + 1,
				        (unsigned long long)electorate);
				goto out;
			}
			uint8_t s2[URNA_MAX_CHOICES] = {sel[q][0] ? 1 : 0, m->m[q] == 2 && sel[q][1] ? 1 : 0};
			a = packed_answer(&bd, q, m, M, s2, r[0], dr, e);
			sodium_memzero(s2, sizeof s2);
		} else {
			a = choices_answer(&bd, q, m, sel[q], r, dr, e);
		}
		if (!a)
			goto out;
		json_array_append_new(as, a);
		if (r_out)
			memcpy(r_out[q], r, manifest_q_nct(m, q) * 32);
	}
	v = json_pack("{s:O,s:o,s:s,s:s}", "answers", as, "credential", canon_b64(X, 32), "referendum", referendum,
	              "region", region);
	if (!v || !(uns = canon_encode(v, &ulen))) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	hash32(tracker, uns, ulen); /* the tracker: the unsigned ballot's, which the signature signs */
	if (x) {
		if (draw(dr, w, 1)) {
			err_set(e, URNA_E_MALFORMED, "not enough draws for the signature");
			goto out;
		}
		if (sig_sign_with(&sig, &bd, tracker, x, w[0])) {
			err_set(e, URNA_E_BAD_ENCODING, "cannot sign with this credential");
			goto out;
		}
		json_object_set_new(v, "signature",
		                    json_pack("{s:o,s:o}", "A", canon_b64(sig.A, 32), "z", canon_b64(sig.z, 32)));
		if (!(*out = canon_encode(v, len))) {
			err_set(e, URNA_E_IO, "out of memory");
			goto out;
		}
	} else {
		*out = uns, *len = ulen;
		uns = NULL;
	}
	if (dr->fixed && dr->used != dr->n) {
		err_set(e, URNA_E_MALFORMED, "%zu draws given, %zu used", dr->n, dr->used);
		goto out;
	}
	if (*len > URNA_BALLOT_MAX) {
		err_set(e, URNA_E_TOO_LARGE, "ballot over %u bytes", URNA_BALLOT_MAX);
		goto out;
	}
	rc = 0;
out:
	if (rc) {
		free(*out);
		*out = NULL;
		*len = 0;
		memset(tracker, 0, 32);
	}
	sodium_memzero(r, sizeof r);
	sodium_memzero(w, sizeof w);
	free(uns);
	json_decref(as);
	json_decref(v);
	return rc;
}

int ballot_make(char **out, size_t *len, uint8_t tracker[static 32], const char *referendum, const char *region,
                const manifest *m, uint64_t electorate, const uint8_t h_E[static 32], const uint8_t K[static 32],
                const uint8_t *x, const uint8_t X[static 32], const uint8_t sel[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES],
                uint8_t r_out[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES][32], urna_err *e)
{
	draws dr = {0};
	return make(out, len, tracker, referendum, region, m, electorate, h_E, K, x, X, sel, r_out, &dr, e);
}

int ballot_make_from(char **out, size_t *len, uint8_t tracker[static 32], const char *referendum,
                     const char *region, const manifest *m, uint64_t electorate, const uint8_t h_E[static 32],
                     const uint8_t K[static 32], const uint8_t *x, const uint8_t X[static 32],
                     const uint8_t sel[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES], const uint8_t (*d)[32], size_t n,
                     urna_err *e)
{
	draws dr = {.s = d, .n = n, .fixed = 1};
	return make(out, len, tracker, referendum, region, m, electorate, h_E, K, x, X, sel, NULL, &dr, e);
}
