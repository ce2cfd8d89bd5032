/* audit.c: the Benaloh ballot audit check (audit.h, docs/protocol.md s.16). */
#include <stdlib.h>
#include <string.h>
#include "crypto/group.h"
#include "crypto/hash.h"
#include "record/audit.h"
#include "record/ballot.h"

#define KEYS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* The revealed openings of every ciphertext, read in step 1: per choice,
 * or one per packed question (k = 0, v its plaintext: 0, 1 or M). */
typedef struct {
	uint8_t r[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES][32];
	uint64_t v[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES];
} openings;

/* 1 when v holds a real number anywhere: the file's numbers are integers
 * (jansson refuses the rest of what the booth's JSON.parse would take:
 * duplicate keys, U+0000, integers beyond 64 bits, bad Unicode). Depth is
 * bounded by jansson's parser. */
static int has_real(const json_t *v)
{
	const char *k;
	json_t *x;
	size_t i;
	if (json_is_real(v))
		return 1;
	if (json_is_object(v))
		json_object_foreach((json_t *)v, k, x)
			if (has_real(x))
				return 1;
	if (json_is_array(v))
		json_array_foreach(v, i, x)
			if (has_real(x))
				return 1;
	return 0;
}

/* The manifest text: exactly the bytes the board holds, so canonical (s.13). */
static json_t *read_manifest(manifest *m, const json_t *text, urna_err *e)
{
	json_t *mj;
	if (!json_is_string(text)) {
		err_set(e, URNA_E_MALFORMED, "\"manifest\" must be the region manifest's text (a string)");
		return NULL;
	}
	if (!(mj = canon_parse(json_string_value(text), json_string_length(text), URNA_LINE_MAX, e))) {
		if (e && e->code == URNA_E_NOT_CANONICAL)
			e->code = URNA_E_MALFORMED; /* not what any board holds */
		err_prefix(e, "manifest");
		return NULL;
	}
	if (manifest_parse(m, mj, e)) {
		err_prefix(e, "manifest");
		json_decref(mj);
		return NULL;
	}
	return mj;
}

static int read_randomness(openings *o, const json_t *rand, const manifest *m, uint64_t M, urna_err *e)
{
	if (!json_is_array(rand) || json_array_size(rand) != m->nq)
		return err_set(e, URNA_E_MALFORMED, "\"randomness\" must hold one list per question (%u)", m->nq);
	for (uint32_t q = 0; q < m->nq; q++) {
		const json_t *l = json_array_get(rand, q);
		uint32_t n = manifest_q_nct(m, q), nv = 0;
		uint64_t vals[URNA_MAX_PACKED];
		if (manifest_packed(m, q))
			nv = packed_values(m, q, M, vals);
		if (!json_is_array(l) || json_array_size(l) != n)
			return err_set(e, URNA_E_MALFORMED, manifest_packed(m, q)
			               ? "randomness of question %u must hold one entry (%u: a packed question, s.16)"
			               : "randomness of question %u must hold one entry per choice (%u)", q + 1, n);
		for (uint32_t k = 0; k < n; k++) {
			const json_t *rv = json_array_get(l, k), *v = json_object_get(rv, "v");
			int ok = json_is_integer(v) && json_integer_value(v) >= 0;
			if (canon_keys(rv, KEYS("r", "v"), "randomness entry", e))
				return err_prefix(e, "question %u choice %u", q + 1, k + 1);
			if (ok && nv) {
				ok = 0;
				for (uint32_t i = 0; i < nv; i++)
					ok |= (uint64_t)json_integer_value(v) == vals[i];
			} else if (ok) {
				ok = json_integer_value(v) <= 1;
			}
			if (!ok && nv)
				return err_set(e, URNA_E_MALFORMED, "question %u: \"v\" must be one of its allowed values (0 for "
				               "blank where allowed, 1, M = %llu)", q + 1, (unsigned long long)M);
			if (!ok)
				return err_set(e, URNA_E_MALFORMED, "question %u choice %u: \"v\" must be 0 or 1", q + 1, k + 1);
			if (canon_get_scalar(o->r[q][k], rv, "r", e))
				return err_prefix(e, "question %u choice %u", q + 1, k + 1);
			o->v[q][k] = (uint64_t)json_integer_value(v);
		}
	}
	return 0;
}

/* Names the ballot as the place of e, unless its message already does. */
static int in_ballot(urna_err *e)
{
	if (e && strncmp(e->msg, "ballot", 6) != 0)
		err_prefix(e, "ballot");
	return -1;
}

/* Step 3: alpha = rG and beta = rK + vG for every ciphertext, then the
 * counts. A packed question's v selects choice 1 (v = 1), choice 2 (v = M)
 * or none (v = 0). */
static int openings_ok(audit_result *out, const ballot *b, const openings *o, const uint8_t K[32], uint64_t M,
                       urna_err *e)
{
	const manifest *m = &out->m;
	uint8_t P[32], Q[32];
	for (uint32_t q = 0; q < m->nq; q++)
		for (uint32_t k = 0; k < manifest_q_nct(m, q); k++) {
			if (point_base_mul(P, o->r[q][k]) || memcmp(P, b->ct[q][k].alpha, 32))
				return err_set(e, URNA_E_MISMATCH, "question %u choice %u: alpha is not rG for the revealed r", q + 1,
				               k + 1);
			if (point_mul(P, o->r[q][k], K) || point_small_base(Q, o->v[q][k]) || point_add(P, P, Q) ||
			    memcmp(P, b->ct[q][k].beta, 32))
				return err_set(e, URNA_E_MISMATCH, "question %u choice %u: beta is not rK + vG for v = %llu", q + 1,
				               k + 1, (unsigned long long)o->v[q][k]);
			if (manifest_packed(m, q)) {
				out->sel[q][0] = o->v[q][0] == 1;
				if (m->m[q] == 2)
					out->sel[q][1] = o->v[q][0] == M;
			} else {
				out->sel[q][k] = (uint8_t)o->v[q][k];
			}
		}
	for (uint32_t q = 0; q < m->nq; q++) {
		uint32_t n = 0;
		for (uint32_t k = 0; k < m->m[q]; k++)
			n += out->sel[q][k];
		if (n < m->min[q] || n > m->max[q])
			return err_set(e, URNA_E_MISMATCH, "question %u: %u selected, the manifest allows %u..%u", q + 1, n,
			               m->min[q], m->max[q]);
	}
	return 0;
}

int audit_check(audit_result *out, const char *bytes, size_t len, urna_err *e)
{
	json_t *doc = NULL, *mj = NULL, *bj;
	json_error_t je;
	openings *o = NULL;
	ballot *b = NULL;
	char *bb = NULL;
	size_t blen;
	uint8_t h_E[32], K[32], shown[32];
	const json_t *mt, *ver, *el;
	uint64_t electorate, M;
	int rc = -1;

	memset(out, 0, sizeof *out);
	/* 1. The document. */
	if (len > URNA_AUDIT_MAX) {
		err_set(e, URNA_E_TOO_LARGE, "the audit file has %zu bytes, at most %u allowed", len, URNA_AUDIT_MAX);
		goto out;
	}
	if (!(doc = json_loadb(bytes, len, JSON_REJECT_DUPLICATES, &je))) {
		err_set(e, URNA_E_MALFORMED, "not JSON: %s (line %d)", je.text, je.line);
		goto out;
	}
	if (has_real(doc)) {
		err_set(e, URNA_E_MALFORMED, "not an audit file: it holds a real number (its numbers are integers)");
		goto out;
	}
	if (canon_keys(doc, KEYS("ballot", "election_key", "electorate", "manifest", "randomness", "referendum",
	                         "referendum_hash", "region", "tracker", "version"),
	               "audit file", e))
		goto out;
	ver = json_object_get(doc, "version");
	if (!json_is_integer(ver) || json_integer_value(ver) != 2) {
		err_set(e, URNA_E_MALFORMED, "\"version\" must be 2 (protocol 2: a version-1 file's proofs do not verify under it)");
		goto out;
	}
	mt = json_object_get(doc, "manifest");
	/* The manifest's h_R is the file's: the ballot's proofs are checked under it. */
	if (canon_get_id(out->referendum, doc, "referendum", e) || canon_get_id(out->region, doc, "region", e) ||
	    !(mj = read_manifest(&out->m, mt, e)) || canon_get_point_nonzero(K, doc, "election_key", e) ||
	    canon_get_b64(out->m.h_R, 32, doc, "referendum_hash", e) || canon_get_b64(shown, 32, doc, "tracker", e))
		goto out;
	hash32(h_E, json_string_value(mt), json_string_length(mt));
	el = json_object_get(doc, "electorate");
	if (!json_is_integer(el) || json_integer_value(el) < 1 || (uint64_t)json_integer_value(el) > URNA_MAX_ELECTORATE) {
		err_set(e, URNA_E_MALFORMED, "\"electorate\" must be the region's electorate, an integer in 1..%u (it fixes "
		        "the packing base M, s.6)", URNA_MAX_ELECTORATE);
		goto out;
	}
	electorate = (uint64_t)json_integer_value(el);
	M = packed_base(electorate);
	if (!(o = malloc(sizeof *o))) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	if (read_randomness(o, json_object_get(doc, "randomness"), &out->m, M, e))
		goto out;
	bj = json_object_get(doc, "ballot");
	if (!json_is_object(bj)) {
		err_set(e, URNA_E_MALFORMED, "\"ballot\" must be the ballot (an object, s.14)");
		goto out;
	}

	/* 2. The ballot, unsigned, in its canonical bytes, by ballot.h. */
	if (!(bb = canon_encode(bj, &blen)) || !(b = ballot_new())) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	if (ballot_parse_unsigned(b, bb, blen, e)) {
		in_ballot(e);
		goto out;
	}
	if (strcmp(b->referendum, out->referendum) || strcmp(b->region, out->region)) {
		err_set(e, URNA_E_MISMATCH, "the ballot is for %s/%s, the file says %s/%s", b->referendum, b->region,
		        out->referendum, out->region);
		goto out;
	}
	if (strcmp(b->region, out->m.id)) {
		err_set(e, URNA_E_MISMATCH, "the ballot is for region %s, the manifest is region %s's", b->region, out->m.id);
		goto out;
	}
	if (ballot_shape_ok(b, &out->m, electorate, e) || ballot_verify(b, h_E, K, e)) {
		in_ballot(e);
		goto out;
	}
	if (memcmp(shown, b->tracker, 32)) {
		err_set(e, URNA_E_MISMATCH, "the tracker shown is not the hash of this ballot");
		goto out;
	}

	/* 3. The openings. */
	if (openings_ok(out, b, o, K, M, e))
		goto out;
	memcpy(out->tracker, b->tracker, 32);
	out->manifest = mj;
	mj = NULL;
	rc = 0;
out:
	if (rc)
		memset(out, 0, sizeof *out);
	json_decref(mj);
	json_decref(doc);
	free(bb);
	free(b);
	free(o);
	return rc;
}

void audit_result_free(audit_result *r)
{
	if (r) {
		json_decref(r->manifest);
		r->manifest = NULL;
	}
}
