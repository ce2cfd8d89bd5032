/* booth.c: the command-line booth (booth.h). */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "client/booth.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "record/ballot.h"


void booth_ctx_free(booth_ctx *ctx)
{
	if (ctx) {
		free(ctx->manifest);
		ctx->manifest = NULL;
	}
}

int booth_ctx_set_manifest(booth_ctx *ctx, const char *text, size_t len, urna_err *e)
{
	free(ctx->manifest);
	ctx->manifest = malloc(len + 1);
	if (!ctx->manifest)
		return err_set(e, URNA_E_IO, "out of memory");
	memcpy(ctx->manifest, text, len);
	ctx->manifest[len] = 0;
	ctx->manifest_len = len;
	hash32(ctx->h_E, ctx->manifest, len);
	json_t *j = json_loadb(text, len, 0, NULL);
	int rc = j ? manifest_parse(&ctx->rm, j, e) : err_set(e, URNA_E_MALFORMED, "the manifest is not JSON");
	json_decref(j);
	return rc;
}

int booth_fetch(booth_ctx *ctx, const client_conn *c, const char *referendum, const char *region, urna_err *e)
{
	memset(ctx, 0, sizeof *ctx);
	if (client_check_id("referendum", referendum, e) != 0 || client_check_id("region", region, e) != 0)
		return -1;
	snprintf(ctx->referendum, sizeof ctx->referendum, "%s", referendum);
	snprintf(ctx->region, sizeof ctx->region, "%s", region);
	char path[256];
	json_t *ref = NULL;
	if (client_get_referendum(c, referendum, &ref, e) != 0)
		return -1;
	const char *K = json_string_value(json_object_get(ref, "election_key"));
	int rc = -1;
	if (!K) {
		err_set(e, URNA_E_STATE, "referendum %s has no election key yet (the trustees' ceremony is not over)",
		        referendum);
		goto out;
	}
	if (b64url_decode(ctx->K, 32, K, strlen(K)) != 0 || point_check_nonzero(ctx->K) != 0) {
		err_set(e, URNA_E_BAD_ENCODING, "the server's election key is not a valid point");
		goto out;
	}
	http_resp r;
	snprintf(path, sizeof path, "/api/referendums/%s/regions/%s/manifest", referendum, region);
	if (client_call_raw(c, "GET", path, NULL, 0, &r, NULL, "get manifest", e) != 0)
		goto out;
	rc = booth_ctx_set_manifest(ctx, r.body, r.len, e);
	http_resp_free(&r);
out:
	json_decref(ref);
	if (rc != 0)
		booth_ctx_free(ctx);
	return rc;
}

static int check_counts(const booth_answers *a, const manifest *s, urna_err *e)
{
	if (a->nq != s->nq)
		return err_set(e, URNA_E_MALFORMED, "%u answers given, the region has %u questions", a->nq, s->nq);
	for (uint32_t q = 0; q < s->nq; q++) {
		uint32_t n = 0;
		for (uint32_t k = 0; k < URNA_MAX_CHOICES; k++) {
			if (a->sel[q][k] > 1 || (a->sel[q][k] && k >= s->m[q]))
				return err_set(e, URNA_E_MALFORMED, "question %u has no choice %u", q + 1, k + 1);
			n += a->sel[q][k];
		}
		if (n == 0 && s->min[q] > 0)
			return err_set(e, URNA_E_MALFORMED, "question %u takes no blank vote: choose %s%u of its %u choices",
			               q + 1, s->min[q] == s->max[q] ? "" : "at least ", s->min[q], s->m[q]);
		if (n < s->min[q] || n > s->max[q])
			return err_set(e, URNA_E_MALFORMED, "question %u takes %u to %u choices, %u given", q + 1, s->min[q],
			               s->max[q], n);
	}
	return 0;
}

int booth_answers_parse(booth_answers *a, const manifest *s, const char *text, urna_err *e)
{
	memset(a, 0, sizeof *a);
	const char *p = text;
	uint32_t q = 0;
	for (;;) {
		if (q >= URNA_MAX_QUESTIONS)
			return err_set(e, URNA_E_MALFORMED, "too many answers");
		const char *end = p + strcspn(p, ";");
		while (p < end) {
			char *num_end;
			unsigned long v = strtoul(p, &num_end, 10);
			if (num_end == p || num_end > end || (*num_end != ',' && num_end != end) || v > URNA_MAX_CHOICES)
				return err_set(e, URNA_E_MALFORMED, "bad answer '%s' (choices are numbers from 1)", text);
			if (v > 0) {
				if (q < s->nq && v > s->m[q])
					return err_set(e, URNA_E_MALFORMED, "question %u has %u choices, not %lu", q + 1, s->m[q], v);
				if (a->sel[q][v - 1])
					return err_set(e, URNA_E_MALFORMED, "choice %lu given twice", v);
				a->sel[q][v - 1] = 1;
			}
			p = *num_end == ',' ? num_end + 1 : num_end;
		}
		q++;
		if (!*end)
			break;
		p = end + 1;
	}
	a->nq = q;
	return check_counts(a, s, e);
}

static json_t *b64(const uint8_t *p)
{
	char t[URNA_B64_32];
	b64url_encode(t, p, 32);
	return json_string(t);
}

static char *canon(json_t *j)
{
	return json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
}

int booth_build(char **ballot, size_t *len, uint8_t tracker[static 32], json_t **audit,
                const booth_ctx *ctx, const booth_answers *a, const uint8_t x[static 32],
                const uint8_t X[static 32], urna_err *e)
{
	uint8_t r[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES][32];
	*ballot = NULL;
	*len = 0;
	memset(tracker, 0, 32);
	if (audit)
		*audit = NULL;
	if (check_counts(a, &ctx->rm, e) != 0)
		return -1;
	if (ballot_make(ballot, len, tracker, ctx->referendum, ctx->region, &ctx->rm, ctx->h_E, ctx->K, x, X,
	                (const uint8_t(*)[URNA_MAX_CHOICES])a->sel, audit ? r : NULL, e) != 0)
		return -1;
	if (!audit)
		return 0;
	/* s.16: the ballot, and each ciphertext's value and randomness. */
	json_t *rand = json_array();
	for (uint32_t q = 0; rand && q < ctx->rm.nq; q++) {
		json_t *qr = json_array();
		for (uint32_t k = 0; qr && k < ctx->rm.m[q]; k++)
			json_array_append_new(qr, json_pack("{s:i,s:o}", "v", (json_int_t)(a->sel[q][k] ? 1 : 0), "r", b64(r[q][k])));
		json_array_append_new(rand, qr);
	}
	sodium_memzero(r, sizeof r);
	char trk[URNA_B64_32], K[URNA_B64_32];
	b64url_encode(trk, tracker, 32);
	b64url_encode(K, ctx->K, 32);
	*audit = rand ? json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "version", 1, "referendum", ctx->referendum,
	                          "region", ctx->region, "manifest", ctx->manifest, "election_key", K, "tracker", trk,
	                          "ballot", json_loadb(*ballot, *len, 0, NULL), "randomness", rand)
	              : NULL;
	if (!*audit) {
		free(*ballot);
		*ballot = NULL;
		*len = 0;
		return err_set(e, URNA_E_IO, "out of memory building the audit");
	}
	return 0;
}

int booth_cast(const client_conn *c, const booth_ctx *ctx, const char *ballot, size_t len, json_t **ans, int *status,
               urna_err *e)
{
	char path[256];
	http_resp r;
	if (ans)
		*ans = NULL;
	snprintf(path, sizeof path, "/api/referendums/%s/regions/%s/ballots", ctx->referendum, ctx->region);
	if (client_call_raw(c, "POST", path, ballot, len, &r, status, "cast ballot", e) != 0)
		return -1;
	if (ans)
		*ans = json_loadb(r.body, r.len, 0, NULL);
	http_resp_free(&r);
	return 0;
}


/* ---- audit --------------------------------------------------------------- */

static int get32(uint8_t out[32], json_t *o, const char *key, int point)
{
	const char *s = json_string_value(key ? json_object_get(o, key) : o);
	if (!s || b64url_decode(out, 32, s, strlen(s)) != 0)
		return -1;
	return point ? point_check(out) : scalar_check(out);
}

static int range_from_json(urna_range *pf, json_t *arr, uint32_t lo, uint32_t hi)
{
	memset(pf, 0, sizeof *pf);
	if (!json_is_array(arr) || json_array_size(arr) != hi - lo + 1)
		return -1;
	pf->lo = lo;
	pf->hi = hi;
	for (uint32_t i = 0; i <= hi - lo; i++) {
		json_t *br = json_array_get(arr, i);
		if (json_object_size(br) != 4 || get32(pf->br[i].A, br, "A", 1) || get32(pf->br[i].B, br, "B", 1) ||
		    get32(pf->br[i].c, br, "c", 0) || get32(pf->br[i].z, br, "z", 0))
			return -1;
	}
	return 0;
}

int booth_audit_check(json_t *audit, booth_answers *a, urna_err *e)
{
	memset(a, 0, sizeof *a);
	const char *mtext = json_string_value(json_object_get(audit, "manifest"));
	json_t *ballot = json_object_get(audit, "ballot"), *rand = json_object_get(audit, "randomness");
	manifest s;
	uint8_t K[32], X[32], h_E[32], r[32], P[32], Q[32], rsum[32];
	urna_range pf;
	urna_ct ct, sum;
	int rc = -1;
	char *txt = NULL, *unsigned_txt = NULL;
	json_t *copy = NULL;
	if (!mtext || !json_is_object(ballot) || !json_is_array(rand))
		return err_set(e, URNA_E_MALFORMED, "not an audit file: needs \"manifest\", \"ballot\" and \"randomness\"");
	json_t *mj = json_loads(mtext, 0, NULL);
	int bad = mj ? manifest_parse(&s, mj, e) : err_set(e, URNA_E_MALFORMED, "the audit's manifest is not JSON");
	json_decref(mj);
	if (bad)
		return -1;
	hash32(h_E, mtext, strlen(mtext));
	if (get32(K, audit, "election_key", 1) || get32(X, ballot, "credential", 1))
		return err_set(e, URNA_E_BAD_ENCODING, "bad election key or credential in the audit file");
	const char *ref = json_string_value(json_object_get(ballot, "referendum"));
	const char *reg = json_string_value(json_object_get(ballot, "region"));
	if (!ref || !reg || strcmp(reg, s.id))
		return err_set(e, URNA_E_MISMATCH, "the ballot's region is not the manifest's");
	json_t *answers = json_object_get(ballot, "answers");
	if (json_array_size(answers) != s.nq || json_array_size(rand) != s.nq)
		return err_set(e, URNA_E_MALFORMED, "the ballot answers %zu questions, the manifest has %u",
		               json_array_size(answers), s.nq);
	a->nq = s.nq;
	for (uint32_t q = 0; q < s.nq; q++) {
		json_t *choices = json_object_get(json_array_get(answers, q), "choices");
		json_t *qr = json_array_get(rand, q);
		if (json_array_size(choices) != s.m[q] || json_array_size(qr) != s.m[q]) {
			err_set(e, URNA_E_MALFORMED, "question %u: wrong number of choices", q + 1);
			goto out;
		}
		memset(rsum, 0, 32);
		uint32_t n = 0;
		for (uint32_t k = 0; k < s.m[q]; k++) {
			json_t *c = json_array_get(choices, k), *rv = json_array_get(qr, k);
			json_t *v = json_object_get(rv, "v");
			if (get32(ct.alpha, c, "alpha", 1) || get32(ct.beta, c, "beta", 1) || get32(r, rv, "r", 0) ||
			    !json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1) {
				err_set(e, URNA_E_MALFORMED, "question %u choice %u: bad ciphertext or randomness", q + 1, k + 1);
				goto out;
			}
			uint32_t val = (uint32_t)json_integer_value(v);
			/* alpha = rG and beta = rK + vG: the ciphertext holds the shown value. */
			if (point_base_mul(P, r) || sodium_memcmp(P, ct.alpha, 32) || point_mul(P, r, K) ||
			    point_small_base(Q, val) || point_add(P, P, Q) || sodium_memcmp(P, ct.beta, 32)) {
				err_set(e, URNA_E_MISMATCH, "question %u choice %u does not encrypt %u with the revealed randomness",
				        q + 1, k + 1, val);
				goto out;
			}
			urna_bind bd = {.question = q, .choice = k};
			memcpy(bd.h_E, h_E, 32);
			memcpy(bd.X, X, 32);
			if (range_from_json(&pf, json_object_get(c, "proof"), 0, 1) || range_verify(&pf, &bd, K, &ct, 0, 1)) {
				err_set(e, URNA_E_BAD_PROOF, "question %u choice %u: the 0-or-1 proof does not verify", q + 1, k + 1);
				goto out;
			}
			if (k == 0)
				sum = ct;
			else if (ct_add(&sum, &sum, &ct) != 0)
				goto out;
			scalar_add(rsum, rsum, r);
			a->sel[q][k] = (uint8_t)val;
			n += val;
		}
		urna_bind bd = {.question = q, .choice = URNA_SUM_CHOICE};
		memcpy(bd.h_E, h_E, 32);
		memcpy(bd.X, X, 32);
		if (n < s.min[q] || n > s.max[q] ||
		    range_from_json(&pf, json_object_get(json_array_get(answers, q), "proof"), s.min[q], s.max[q]) ||
		    range_verify(&pf, &bd, K, &sum, s.min[q], s.max[q])) {
			err_set(e, URNA_E_BAD_PROOF, "question %u: the selection-count proof does not verify", q + 1);
			goto out;
		}
	}
	urna_schnorr sig;
	json_t *sj = json_object_get(ballot, "signature");
	copy = json_deep_copy(ballot);
	if (!copy || get32(sig.A, sj, "A", 1) || get32(sig.z, sj, "z", 0) || json_object_del(copy, "signature") ||
	    !(unsigned_txt = canon(copy)) || !(txt = canon(ballot))) {
		err_set(e, URNA_E_MALFORMED, "bad signature in the ballot");
		goto out;
	}
	uint8_t msg[32], trk[32];
	hash32(msg, unsigned_txt, strlen(unsigned_txt));
	if (sig_verify(&sig, h_E, X, msg) != 0) {
		err_set(e, URNA_E_BAD_SIGNATURE, "the ballot's signature does not verify");
		goto out;
	}
	hash32(trk, txt, strlen(txt));
	const char *shown_txt = json_string_value(json_object_get(audit, "tracker"));
	uint8_t shown[32];
	if (shown_txt && (b64url_decode(shown, 32, shown_txt, strlen(shown_txt)) != 0 || memcmp(shown, trk, 32) != 0)) {
		err_set(e, URNA_E_MISMATCH, "the tracker shown is not the hash of this ballot");
		goto out;
	}
	rc = 0;
out:
	free(txt);
	free(unsigned_txt);
	json_decref(copy);
	return rc;
}
