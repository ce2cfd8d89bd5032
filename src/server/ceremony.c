/* ceremony.c: the trustee entries, the key, the tally and the result as the
 * server checks and builds them (state.h; docs/protocol.md s.4, s.8, s.15).
 * Stand-in until src/record provides the shared checkers and builders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "server/state.h"

static int dec(uint8_t *out, size_t n, json_t *v)
{
	const char *s = json_string_value(v);
	return s && b64url_decode(out, n, s, json_string_length(v)) == 0 ? 0 : -1;
}

static json_t *b64j(const uint8_t b[32])
{
	char t[URNA_B64_32];
	b64url_encode(t, b, 32);
	return json_string(t);
}

static int get_index(json_t *o, const char *k, uint32_t n, uint32_t *out)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > n)
		return -1;
	*out = (uint32_t)json_integer_value(v);
	return 0;
}

static uint32_t ncommit(const struct referendum *r)
{
	return r->t == r->n ? 1 : r->t;
}

int trustee_check(struct referendum *r, json_t *b, urna_err *e)
{
	const char *type = json_string_value(json_object_get(b, "type"));
	uint32_t i, j;

	if (r->has_key)
		return err_set(e, URNA_E_STATE, "the key ceremony is over");
	if (!type || get_index(b, "index", r->n, &i) != 0)
		return err_set(e, URNA_E_MALFORMED, "\"type\" and \"index\" (1..%u) expected", r->n);
	if (!strcmp(type, "commit")) {
		json_t *cs = json_object_get(b, "commitments"), *pok = json_object_get(b, "pok");
		uint8_t C[32], bk[32];
		urna_schnorr pf;
		if (r->committed[i])
			return err_set(e, URNA_E_CONFLICT, "trustee %u has already committed", i);
		if (json_object_size(b) != 5 || !json_is_array(cs) || json_array_size(cs) != ncommit(r) ||
		    dec(bk, 32, json_object_get(b, "box_key")) || dec(pf.A, 32, json_object_get(pok, "A")) ||
		    dec(pf.z, 32, json_object_get(pok, "z")))
			return err_set(e, URNA_E_MALFORMED, "commit: type, index, commitments (%u), pok {A, z}, box_key expected",
			               ncommit(r));
		for (size_t k = 0; k < json_array_size(cs); k++)
			if (dec(C, 32, json_array_get(cs, k)) || point_check_nonzero(C))
				return err_set(e, URNA_E_BAD_ENCODING, "commitment %zu is not a valid point", k);
		dec(C, 32, json_array_get(cs, 0));
		if (pok_verify(&pf, r->h_R, i, C) != 0)
			return err_set(e, URNA_E_BAD_PROOF, "trustee %u: proof of knowledge fails", i);
		return 0;
	}
	if (!strcmp(type, "shares")) {
		json_t *sh = json_object_get(b, "shares"), *x;
		size_t k;
		int seen[URNA_MAX_TRUSTEES + 1] = {0};
		if (r->t == r->n)
			return err_set(e, URNA_E_MALFORMED, "no shares when t = n");
		for (uint32_t d = 1; d <= r->n; d++)
			if (!r->committed[d])
				return err_set(e, URNA_E_STATE, "shares come after every trustee's commit (trustee %u has not)", d);
		if (r->shared[i])
			return err_set(e, URNA_E_CONFLICT, "trustee %u has already dealt its shares", i);
		if (json_object_size(b) != 3 || !json_is_array(sh) || json_array_size(sh) != r->n - 1)
			return err_set(e, URNA_E_MALFORMED, "shares: %u sealed shares expected", r->n - 1);
		uint32_t prev = 0;
		json_array_foreach(sh, k, x) {
			uint8_t nonce[24], box[URNA_SEALED_SHARE];
			if (json_object_size(x) != 3 || get_index(x, "to", r->n, &j) || j == i || seen[j] || j <= prev ||
			    dec(nonce, 24, json_object_get(x, "nonce")) || dec(box, sizeof box, json_object_get(x, "box")))
				return err_set(e, URNA_E_MALFORMED,
				               "share %zu: {to, nonce, box} to each other trustee once, in ascending to", k);
			seen[j] = 1;
			prev = j;
		}
		return 0;
	}
	if (!strcmp(type, "complaint")) {
		uint32_t against;
		uint8_t S[32], K[32];
		if (json_object_size(b) != 5 || get_index(b, "against", r->n, &against) || against == i ||
		    dec(S, 32, json_object_get(b, "share")) || dec(K, 32, json_object_get(b, "shared_key")))
			return err_set(e, URNA_E_MALFORMED, "complaint: type, index, against, share, shared_key expected");
		if (!r->committed[against] || !r->shared[against] || !r->shares[against])
			return err_set(e, URNA_E_STATE, "trustee %u has not dealt shares", against);
		/* The complaint must open the dealer's box to the complainer with
		 * shared_key to exactly share, and share must fail the commitments
		 * (s.15): anything less could slander an honest dealer. */
		json_t *x, *mine = NULL;
		size_t k;
		json_array_foreach(json_object_get(r->shares[against], "shares"), k, x)
			if (json_integer_value(json_object_get(x, "to")) == i)
				mine = x;
		uint8_t nonce[24], box[URNA_SEALED_SHARE], opened[32];
		if (!mine || dec(nonce, 24, json_object_get(mine, "nonce")) || dec(box, sizeof box, json_object_get(mine, "box")) ||
		    share_open_with_key(opened, box, nonce, K) != 0 || sodium_memcmp(opened, S, 32) != 0)
			return err_set(e, URNA_E_BAD_PROOF, "complaint: the dealer's box does not open to the revealed share");
		if (share_check(S, i, (const uint8_t(*)[32])r->C[against - 1], r->t) == 0)
			return err_set(e, URNA_E_BAD_PROOF, "complaint: the revealed share matches the commitments");
		return 0;
	}
	return err_set(e, URNA_E_MALFORMED, "unknown trustee entry type '%s' (the key entry comes from /key)", type);
}

int key_build(struct referendum *r, json_t **body, urna_err *e)
{
	int qual[URNA_MAX_TRUSTEES] = {0};
	uint32_t nq = 0;
	uint8_t K[32];
	json_t *q = NULL, *vk = NULL;
	int rc = -1;

	*body = NULL;
	if (r->has_key)
		return err_set(e, URNA_E_CONFLICT, "the key entry is already on the board");
	for (uint32_t i = 1; i <= r->n; i++) {
		if (!r->committed[i])
			return err_set(e, URNA_E_STATE, "trustee %u has not committed", i);
		qual[i - 1] = !r->disq[i] && (r->t == r->n || r->shared[i]);
		nq += (uint32_t)qual[i - 1];
	}
	if (nq < r->t || (r->t == r->n && nq < r->n))
		return err_set(e, URNA_E_STATE, "only %u qualified trustees, %u needed", nq, r->t);
	point_identity(K);
	q = json_array();
	vk = json_array();
	for (uint32_t i = 1; i <= r->n; i++) {
		uint8_t X[32];
		if (qual[i - 1]) {
			json_array_append_new(q, json_integer(i));
			if (point_add(K, K, r->C[i - 1][0]) != 0) {
				err_set(e, URNA_E_BAD_ENCODING, "trustee %u's commitment does not decode", i);
				goto out;
			}
		}
		if (r->t == r->n)
			memcpy(X, r->C[i - 1][0], 32);
		else if (verification_key(X, i, (const uint8_t(*)[URNA_MAX_TRUSTEES][32])r->C, qual, r->n, r->t) != 0) {
			err_set(e, URNA_E_BAD_ENCODING, "verification key %u: a commitment does not decode", i);
			goto out;
		}
		json_array_append_new(vk, b64j(X));
	}
	*body = json_pack("{s:s, s:o, s:O, s:O}", "type", "key", "key", b64j(K), "qualified", q,
	                  "verification_keys", vk);
	rc = *body ? 0 : err_set(e, URNA_E_IO, "out of memory");
out:
	json_decref(q);
	json_decref(vk);
	return rc;
}

int decryption_check(struct referendum *r, struct region *g, json_t *b, urna_err *e)
{
	uint32_t j;
	json_t *qs = json_object_get(b, "questions");
	json_t *tq = json_object_get(g->tally, "questions");

	if (!g->tallied)
		return err_set(e, URNA_E_STATE, "region %s is not tallied yet", g->id);
	if (g->published)
		return err_set(e, URNA_E_STATE, "region %s is published", g->id);
	if (json_object_size(b) != 2 || get_index(b, "trustee", r->n, &j) || !json_is_array(qs) ||
	    json_array_size(qs) != g->nq)
		return err_set(e, URNA_E_MALFORMED, "{\"trustee\", \"questions\", \"region\"} expected");
	if (!r->qualified[j])
		return err_set(e, URNA_E_STATE, "trustee %u is not qualified", j);
	if (g->have_dec[j])
		return err_set(e, URNA_E_CONFLICT, "trustee %u already decrypted region %s", j, g->id);
	for (uint32_t q = 0; q < g->nq; q++) {
		json_t *ch = json_object_get(json_array_get(qs, q), "choices");
		if (!json_is_array(ch) || json_array_size(ch) != g->m[q])
			return err_set(e, URNA_E_MALFORMED, "question %u: %u choices expected", q + 1, g->m[q]);
		for (uint32_t k = 0; k < g->m[q]; k++) {
			json_t *c = json_array_get(ch, k);
			json_t *t = json_array_get(json_object_get(json_array_get(tq, q), "choices"), k);
			uint8_t D[32], A[32];
			urna_cp pf;
			if (json_object_size(c) != 4 || dec(D, 32, json_object_get(c, "D")) || dec(pf.U, 32, json_object_get(c, "U")) ||
			    dec(pf.V, 32, json_object_get(c, "V")) || dec(pf.z, 32, json_object_get(c, "z")) ||
			    dec(A, 32, json_object_get(t, "A")))
				return err_set(e, URNA_E_MALFORMED, "question %u choice %u: {D, U, V, z} expected", q + 1, k + 1);
			if (cp_verify(&pf, g->h_E, j, A, D, r->X[j]) != 0)
				return err_set(e, URNA_E_BAD_PROOF, "question %u choice %u: decryption proof fails", q + 1, k + 1);
		}
	}
	return 0;
}

struct sums {
	struct referendum *r;
	uint8_t (*A)[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES][32];
	uint8_t (*B)[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES][32];
	uint64_t *counted;
	urna_err *e;
};

static int add_ballot(void *arg, const struct store_line *l)
{
	struct sums *s = arg;
	uint32_t gi;
	uint64_t last = 0;
	uint8_t X[32];
	static const char mark[] = ",\"body\":";
	int rc = -1;
	json_t *b = NULL;

	if (strcmp(l->kind, "ballot"))
		return 0;
	struct region *g = ref_region(s->r, l->region, &gi);
	const char *body = strstr(l->line, mark);
	if (!g || !body || !(b = json_loadb(body + sizeof mark - 1, (size_t)(l->line + l->len - 1 - body - (sizeof mark - 1)), 0, NULL)) ||
	    dec(X, 32, json_object_get(b, "credential"))) {
		err_set_seq(s->e, URNA_E_CHAIN, l->seq, "ballot line %llu unreadable", (unsigned long long)l->seq);
		goto out;
	}
	credset_find(&g->creds, X, &last);
	if (last != l->seq + 1) {
		rc = 0; /* replaced by a later ballot of the same credential */
		goto out;
	}
	s->counted[gi]++;
	json_t *ans = json_object_get(b, "answers");
	for (uint32_t q = 0; q < g->nq; q++)
		for (uint32_t k = 0; k < g->m[q]; k++) {
			json_t *c = json_array_get(json_object_get(json_array_get(ans, q), "choices"), k);
			uint8_t a[32], bb[32];
			if (dec(a, 32, json_object_get(c, "alpha")) || dec(bb, 32, json_object_get(c, "beta")) ||
			    point_add(s->A[gi][q][k], s->A[gi][q][k], a) || point_add(s->B[gi][q][k], s->B[gi][q][k], bb)) {
				err_set_seq(s->e, URNA_E_CHAIN, l->seq, "ballot line %llu: bad ciphertext", (unsigned long long)l->seq);
				goto out;
			}
		}
	rc = 0;
out:
	json_decref(b);
	return rc;
}

int tally_build(struct referendum *r, const struct store_ops *ops, struct store *st, json_t **bodies, urna_err *e)
{
	size_t n = r->nregions;
	struct sums s = {.r = r, .e = e};
	int rc = -1;

	*bodies = NULL;
	s.A = calloc(n, sizeof *s.A);
	s.B = calloc(n, sizeof *s.B);
	s.counted = calloc(n, sizeof *s.counted);
	if (!s.A || !s.B || !s.counted) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		for (int q = 0; q < URNA_MAX_QUESTIONS; q++)
			for (int k = 0; k < URNA_MAX_CHOICES; k++) {
				point_identity(s.A[i][q][k]);
				point_identity(s.B[i][q][k]);
			}
	if (ops->scan(st, r->id, 0, 0, add_ballot, &s, e) != 0)
		goto out;
	*bodies = json_array();
	for (size_t i = 0; i < n; i++) {
		struct region *g = &r->regions[i];
		json_t *qs = json_array();
		for (uint32_t q = 0; q < g->nq; q++) {
			json_t *ch = json_array();
			for (uint32_t k = 0; k < g->m[q]; k++)
				json_array_append_new(ch, json_pack("{s:o, s:o}", "A", b64j(s.A[i][q][k]), "B", b64j(s.B[i][q][k])));
			json_array_append_new(qs, json_pack("{s:o}", "choices", ch));
		}
		json_array_append_new(*bodies, json_pack("{s:I, s:I, s:o}", "cast", (json_int_t)g->cast, "counted",
		                                         (json_int_t)s.counted[i], "questions", qs));
	}
	rc = 0;
out:
	free(s.A);
	free(s.B);
	free(s.counted);
	return rc;
}

int result_build(struct referendum *r, struct region *g, json_t **body, urna_err *e)
{
	uint32_t idx[URNA_MAX_TRUSTEES], k = 0;
	json_t *tq = json_object_get(g->tally, "questions"), *qs = NULL, *tr = NULL;
	uint64_t counted = (uint64_t)json_integer_value(json_object_get(g->tally, "counted"));
	urna_dlog *dl = NULL;
	int rc = -1;

	*body = NULL;
	if (!g->tallied)
		return err_set(e, URNA_E_STATE, "region %s is not tallied", g->id);
	for (uint32_t j = 1; j <= r->n && k < r->t; j++)
		if (g->have_dec[j])
			idx[k++] = j;
	if (k < r->t)
		return err_set(e, URNA_E_STATE, "region %s has %u of the %u decryptions needed", g->id, k, r->t);
	if (!(dl = dlog_new(counted)))
		return err_set(e, URNA_E_IO, "out of memory");
	qs = json_array();
	tr = json_array();
	for (uint32_t i = 0; i < k; i++)
		json_array_append_new(tr, json_integer(idx[i]));
	for (uint32_t q = 0; q < g->nq; q++) {
		json_t *counts = json_array();
		uint64_t sum = 0;
		for (uint32_t c = 0; c < g->m[q]; c++) {
			uint8_t Dj[URNA_MAX_TRUSTEES][32], D[32], B[32], M[32];
			uint64_t count;
			for (uint32_t i = 0; i < k; i++)
				dec(Dj[i], 32, json_object_get(json_array_get(json_object_get(json_array_get(
				    json_object_get(g->dec[idx[i]], "questions"), q), "choices"), c), "D"));
			dec(B, 32, json_object_get(json_array_get(json_object_get(json_array_get(tq, q), "choices"), c), "B"));
			int bad = 0;
			if (r->t == r->n) {
				point_identity(D);
				for (uint32_t i = 0; i < k; i++)
					bad |= point_add(D, D, Dj[i]);
			} else {
				bad |= combine_shares(D, (const uint8_t(*)[32])Dj, idx, k);
			}
			if (bad || point_sub(M, B, D) != 0 || dlog_find(dl, &count, M) != 0) {
				json_decref(counts);
				err_set(e, URNA_E_MISMATCH, "region %s question %u choice %u: the decryptions give no count in 0..%llu",
				        g->id, q + 1, c + 1, (unsigned long long)counted);
				goto out;
			}
			sum += count;
			json_array_append_new(counts, json_integer((json_int_t)count));
		}
		uint64_t blank = g->min[q] >= 1 ? 0 : g->max[q] == 1 && sum <= counted ? counted - sum : 0;
		json_array_append_new(qs, json_pack("{s:o, s:I}", "counts", counts, "blank", (json_int_t)blank));
	}
	*body = json_pack("{s:O, s:I, s:I, s:O, s:O}", "cast", json_object_get(g->tally, "cast"), "counted",
	                  (json_int_t)counted, "electorate", (json_int_t)g->creds.n, "trustees", tr, "questions", qs);
	rc = *body ? 0 : err_set(e, URNA_E_IO, "out of memory");
out:
	dlog_free(dl);
	json_decref(qs);
	json_decref(tr);
	return rc;
}
