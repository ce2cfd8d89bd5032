/* booth.c: the command-line booth (booth.h). */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "client/board.h"
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
	memcpy(ctx->rm.h_R, ctx->h_R, 32);
	return rc;
}

/* ctx->h_R: hash32 of the body of the board's first line, which must be
 * the entry of referendum ctx->referendum. */
static int fetch_h_R(booth_ctx *ctx, const client_conn *c, urna_err *e)
{
	char path[256];
	http_resp r;
	board_view b;
	snprintf(path, sizeof path, "/api/referendums/%s/board?from=0&limit=1", ctx->referendum);
	if (client_call_raw(c, "GET", path, NULL, 0, &r, NULL, "get the referendum entry", e) != 0)
		return -1;
	if (board_parse(&b, r.body, r.len, e) != 0) /* takes r.body */
		return -1;
	const char *id = b.n == 1 ? json_string_value(json_object_get(b.v[0].j, "id")) : NULL;
	int rc = 0;
	if (!id || b.v[0].seq != 0 || strcmp(b.v[0].kind, "referendum") || strcmp(id, ctx->referendum))
		rc = err_set(e, URNA_E_MALFORMED, "the board's first line is not referendum %s's entry", ctx->referendum);
	else
		board_body_hash(ctx->h_R, &b.v[0]);
	board_free(&b);
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
	/* The electorate, which fixes the packing base M of its ballots (s.6). */
	json_t *rg, *regs = json_object_get(ref, "regions"), *el = NULL;
	size_t i;
	json_array_foreach(regs, i, rg) {
		const char *id = json_string_value(json_object_get(rg, "id"));
		if (id && !strcmp(id, region))
			el = json_object_get(rg, "electorate");
	}
	if (!el) {
		err_set(e, URNA_E_UNKNOWN, "referendum %s has no region %s", referendum, region);
		goto out;
	}
	if (!json_is_integer(el) || json_integer_value(el) < 0) {
		err_set(e, URNA_E_MALFORMED, "the referendum's status gives no electorate of region %s", region);
		goto out;
	}
	ctx->electorate = (uint64_t)json_integer_value(el);
	http_resp r;
	if (fetch_h_R(ctx, c, e) != 0)
		goto out;
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

int booth_build(char **ballot, size_t *len, uint8_t tracker[static 32], json_t **audit,
                const booth_ctx *ctx, const booth_answers *a, const uint8_t x[static 32],
                const uint8_t X[static 32], urna_err *e)
{
	uint8_t r[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES][32];
	uint64_t M = packed_base(ctx->electorate);
	*ballot = NULL;
	*len = 0;
	memset(tracker, 0, 32);
	if (audit)
		*audit = NULL;
	if (check_counts(a, &ctx->rm, e) != 0)
		return -1;
	/* An audited ballot is never signed (s.16): it cannot be cast. */
	if (ballot_make(ballot, len, tracker, ctx->referendum, ctx->region, &ctx->rm, ctx->electorate, ctx->h_E, ctx->K,
	                audit ? NULL : x, X, (const uint8_t(*)[URNA_MAX_CHOICES])a->sel, audit ? r : NULL, e) != 0)
		return -1;
	if (!audit)
		return 0;
	/* s.16: the ballot, and each ciphertext's value and randomness: a
	 * packed question's one, v = 0 (blank), 1 or M; else one per choice. */
	json_t *rand = json_array();
	for (uint32_t q = 0; rand && q < ctx->rm.nq; q++) {
		json_t *qr = json_array();
		if (manifest_packed(&ctx->rm, q)) {
			json_int_t v = a->sel[q][0] ? 1 : ctx->rm.m[q] == 2 && a->sel[q][1] ? (json_int_t)M : 0;
			json_array_append_new(qr, json_pack("{s:I,s:o}", "v", v, "r", b64(r[q][0])));
		} else {
			for (uint32_t k = 0; qr && k < ctx->rm.m[q]; k++)
				json_array_append_new(qr, json_pack("{s:i,s:o}", "v", a->sel[q][k] ? 1 : 0, "r", b64(r[q][k])));
		}
		json_array_append_new(rand, qr);
	}
	sodium_memzero(r, sizeof r);
	char trk[URNA_B64_32], K[URNA_B64_32], hR[URNA_B64_32];
	b64url_encode(trk, tracker, 32);
	b64url_encode(K, ctx->K, 32);
	b64url_encode(hR, ctx->rm.h_R, 32);
	*audit = rand ? json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:o,s:o}", "version", 2, "referendum",
	                          ctx->referendum, "referendum_hash", hR, "region", ctx->region, "manifest", ctx->manifest,
	                          "election_key", K, "electorate", (json_int_t)ctx->electorate, "tracker", trk, "ballot",
	                          json_loadb(*ballot, *len, 0, NULL), "randomness", rand)
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
