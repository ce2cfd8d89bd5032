/* sample.c: synthetic referendum records (sample.h). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/parallel.h"
#include "crypto/hash.h"
#include "record/ballot.h"
#include "record/election.h"
#include "record/entry.h"
#include "bench/sample.h"

/* The roles' Ed25519 keys: [0] organizer, [1] server, [2] the credential
 * authority of every region, [3..3+n) trustees 1..n; seeds are the first
 * 32 bytes of H("sample-role", id, u32 slot) (tests/unit/test_verify.c
 * derives them again to sign as a role). */
#define ROLES (3 + URNA_MAX_TRUSTEES)
typedef struct {
	election *el;
	FILE *out;
	int64_t time;
	urna_err *e;
	uint8_t pk[ROLES][32], sk[ROLES][64];
} gen;

/* The key slot of an author. */
static int slot(const char *by)
{
	if (!strcmp(by, "organizer"))
		return 0;
	if (!strcmp(by, "server"))
		return 1;
	if (!strcmp(by, "authority-1"))
		return 2;
	return 2 + atoi(by + strlen("trustee-"));
}

/* Appends body as the next line of kind/region at g->time, signed by its
 * author by (NULL for a ballot). */
static int emit(gen *g, rec_kind kind, const char *region, const char *by, json_t *body)
{
	uint8_t head[32], h_R[32];
	size_t blen = 0, len = 0;
	char *b = body ? canon_encode(body, &blen) : NULL, *line = NULL;
	rec_sig sig = {0};
	int rc = -1;
	json_decref(body);
	if (!b) {
		err_set(g->e, URNA_E_IO, "cannot build a %s body", kind_name(kind));
		goto out;
	}
	snprintf(sig.by, sizeof sig.by, "%s", by);
	if (kind == KIND_REFERENDUM)
		hash32(h_R, b, blen);
	else
		election_h_R(g->el, h_R);
	entry_sign(&sig, h_R, kind, region, kind == KIND_REFERENDUM ? 0 : (uint32_t)election_authored(g->el, by), b, blen,
	           g->sk[slot(by)]);
	election_head(g->el, head);
	if (!(line = line_make(&len, election_next_seq(g->el), head, g->time, kind, region, &sig, b, blen, g->e)) ||
	    election_apply(g->el, line, len, APPLY_TRUSTED, g->e))
		goto out;
	if (fwrite(line, 1, len, g->out) != len || fputc('\n', g->out) == EOF) {
		err_set(g->e, URNA_E_IO, "cannot write the board");
		goto out;
	}
	rc = 0;
out:
	free(b);
	free(line);
	return rc;
}

static json_t *text(const char *en)
{
	return json_pack("{s:s}", "en", en);
}

static json_t *manifest_json(const char *id, int two)
{
	json_t *qs = json_array();
	json_array_append_new(qs, json_pack("{s:o,s:[o,o],s:i,s:i}", "text", text("Do you approve the proposal?"),
	                                    "choices", text("Yes"), text("No"), "min", two ? 0 : 1, "max", 1));
	if (two)
		json_array_append_new(qs, json_pack("{s:o,s:[o,o,o],s:i,s:i}", "text", text("Which projects?"), "choices",
		                                    text("Park"), text("Library"), text("Bridge"), "min", 0, "max", 2));
	return json_pack("{s:s,s:o,s:o}", "id", id, "name", text(id), "questions", qs);
}

/* "trustee-I" into by. */
static const char *trustee_by(char by[static URNA_BY_MAX], uint32_t i)
{
	snprintf(by, URNA_BY_MAX, "trustee-%u", i);
	return by;
}

/* The voter's selections (deterministic, so tests know the counts). */
static void selections(uint8_t sel[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES], const manifest *m, uint64_t v, uint64_t round,
                       int choose)
{
	memset(sel, 0, URNA_MAX_QUESTIONS * URNA_MAX_CHOICES);
	uint64_t w = v + round;
	if (choose)
		sel[0][choose - 1] = 1;
	else if (m->min[0] == 0 && w % 7 == 6)
		; /* blank */
	else
		sel[0][w % 3 == 0 ? 1 : 0] = 1;
	if (m->nq > 1) {
		sel[1][w % 3] = 1;
		if (w % 2)
			sel[1][(w + 1) % 3] = 1;
	}
}

typedef struct {
	const sample_spec *s;
	const char *region;
	const manifest *m;
	uint8_t h_E[32], K[32];
	uint64_t from, to;
	char **out;
	size_t *len;
	int rc;
	urna_err e;
} bjob;

static void *ballots_run(void *arg)
{
	bjob *j = arg;
	char cred[48];
	uint8_t x[32], X[32], trk[32], sel[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES];
	j->rc = -1;
	for (uint64_t i = j->from; i < j->to; i++) {
		uint64_t v = i % j->s->voters, round = i / j->s->voters;
		snprintf(cred, sizeof cred, "VOTER%llu", (unsigned long long)v);
		selections(sel, j->m, v, round, j->s->choose);
		if (credential_keys(x, X, j->s->id, j->region, cred) ||
		    ballot_make(&j->out[i], &j->len[i], trk, j->s->id, j->region, j->m, j->s->voters, j->h_E, j->K, x, X,
		                sel, NULL, &j->e))
			goto out;
	}
	j->rc = 0;
out:
	sodium_memzero(x, sizeof x);
	return NULL;
}

int sample_record(const sample_spec *s, FILE *out, int progress, urna_err *e)
{
	gen g = {election_new(), out, 0, e, {{0}}, {{0}}};
	uint8_t h_R[32], K[32], head[32];
	uint8_t box_pk[URNA_MAX_TRUSTEES][32], box_sk[URNA_MAX_TRUSTEES][32];
	urna_poly *f = calloc(URNA_MAX_TRUSTEES, sizeof *f);
	char rid[64][URNA_ID_MAX];
	const char *regs[64];
	uint32_t n = s->n, t = s->t, nr = s->nregions;
	rtime opens, closes, announce, closes2, announce2;
	char by[URNA_BY_MAX];
	char **lines = NULL;
	size_t *lens = NULL;
	int rc = -1;

	if (!g.el || !f || nr < 1 || nr > 64 || n < 1 || n > URNA_MAX_TRUSTEES || t < 1 || t > n || s->voters < 1 ||
	    s->choose < 0 || s->choose > 2) {
		err_set(e, URNA_E_MALFORMED, "sample: bad spec");
		goto out;
	}
	/* A synthetic record's role keys come from its id, so that a test can
	 * play a role (re-sign an entry as its author): never for a real vote. */
	for (int i = 0; i < ROLES; i++) {
		urna_hash h;
		uint8_t seed[64];
		hash_init(&h, "sample-role");
		hash_add_str(&h, s->id);
		hash_add_u32(&h, (uint32_t)i);
		hash_final64(&h, seed);
		crypto_sign_seed_keypair(g.pk[i], g.sk[i], seed);
	}
	if (rtime_make(&opens, "Europe/Moscow", "2026-07-01T08:00", e) ||
	    rtime_make(&closes, "Europe/Moscow", "2026-07-01T20:00", e) ||
	    rtime_make(&announce, "Europe/Moscow", "2026-07-01T21:00", e) ||
	    rtime_make(&closes2, "Europe/Moscow", "2026-07-01T21:00", e) ||
	    rtime_make(&announce2, "Europe/Moscow", "2026-07-01T22:00:30", e))
		goto out;
	for (uint32_t i = 0; i < nr; i++) {
		snprintf(rid[i], sizeof rid[i], "r%u", i + 1);
		regs[i] = rid[i];
	}
	g.time = opens.utc - 86400;
	json_t *title = text("Sample referendum");
	json_t *members = json_array(), *rlist = json_array();
	for (uint32_t i = 1; i <= n; i++) {
		char name[32];
		snprintf(name, sizeof name, "Trustee %u", i);
		json_array_append_new(members, json_pack("{s:o,s:s}", "key", canon_b64(g.pk[2 + i], 32), "name", name));
	}
	for (uint32_t i = 0; i < nr; i++)
		json_array_append_new(rlist, json_string(rid[i]));
	json_t *roles = json_pack("{s:{s:o,s:s},s:{s:o,s:s},s:[{s:o,s:s,s:o}],s:{s:o,s:i}}", "organizer", "key",
	                          canon_b64(g.pk[0], 32), "name", "Sample organizer", "server", "key", canon_b64(g.pk[1], 32),
	                          "name", "Sample server", "authorities", "key", canon_b64(g.pk[2], 32), "name",
	                          "Sample credential authority", "regions", rlist, "trustees", "members", members, "t", (int)t);
	json_t *rb = roles ? referendum_make(s->id, title, "Europe/Moscow", &opens, &closes, &announce, regs, nr, roles, e)
	                   : NULL;
	json_decref(title);
	json_decref(roles);
	if (!rb || emit(&g, KIND_REFERENDUM, NULL, "organizer", rb))
		goto out;
	for (uint32_t i = 0; i < nr; i++)
		if (emit(&g, KIND_REGION, rid[i], "organizer", manifest_json(rid[i], s->mixed && i == 1)))
			goto out;
	/* key ceremony (s.4) */
	election_h_R(g.el, h_R);
	for (uint32_t i = 1; i <= n; i++) {
		poly_random(&f[i - 1], t == n ? 1 : t);
		box_keypair(box_pk[i - 1], box_sk[i - 1]);
		if (emit(&g, KIND_TRUSTEE, NULL, trustee_by(by, i), tmsg_commit_make(h_R, i, &f[i - 1], box_pk[i - 1], e)))
			goto out;
	}
	if (t < n) {
		for (uint32_t i = 1; i <= n; i++) {
			json_t *sh = tmsg_shares_make(i, n, &f[i - 1], box_sk[i - 1], (const uint8_t(*)[32])box_pk, e);
			if (sh && (int)i == s->bad_dealer) { /* a wrong share to trustee 1 */
				urna_poly bad = f[i - 1];
				uint8_t one[32];
				scalar_from_u64(one, 1);
				scalar_add(bad.a[0], bad.a[0], one);
				json_decref(sh);
				sh = tmsg_shares_make(i, n, &bad, box_sk[i - 1], (const uint8_t(*)[32])box_pk, e);
				json_t *good = tmsg_shares_make(i, n, &f[i - 1], box_sk[i - 1], (const uint8_t(*)[32])box_pk, e);
				for (size_t k = 1; k < json_array_size(json_object_get(sh, "shares")); k++)
					json_array_set(json_object_get(sh, "shares"), k,
					               json_array_get(json_object_get(good, "shares"), k));
				json_decref(good);
				poly_wipe(&bad);
			}
			if (emit(&g, KIND_TRUSTEE, NULL, trustee_by(by, i), sh))
				goto out;
		}
		if (s->bad_dealer > 1 && (uint32_t)s->bad_dealer <= n) {
			uint32_t i = (uint32_t)s->bad_dealer;
			uint8_t key[32], share[32];
			urna_poly bad = f[i - 1];
			uint8_t one[32];
			scalar_from_u64(one, 1);
			scalar_add(bad.a[0], bad.a[0], one);
			poly_eval(share, &bad, 1);
			poly_wipe(&bad);
			if (share_shared_key(key, box_pk[i - 1], box_sk[0]) ||
			    emit(&g, KIND_TRUSTEE, NULL, "trustee-1", tmsg_complaint_make(1, i, share, key)))
				goto out;
		}
	}
	json_t *kb;
	if (election_key_body(g.el, &kb, e) || emit(&g, KIND_TRUSTEE, NULL, "organizer", kb) || election_key(g.el, K))
		goto out;
	/* credentials (s.5), each region's lists then its electorate */
	for (uint32_t i = 0; i < nr; i++) {
		uint8_t(*lh)[32] = calloc((s->voters + URNA_MAX_CREDENTIALS_ENTRY - 1) / URNA_MAX_CREDENTIALS_ENTRY, 32);
		uint32_t nl = 0;
		if (!lh) {
			err_set(e, URNA_E_IO, "out of memory");
			goto out;
		}
		for (uint64_t v0 = 0; v0 < s->voters; v0 += URNA_MAX_CREDENTIALS_ENTRY) {
			uint64_t cnt = s->voters - v0 < URNA_MAX_CREDENTIALS_ENTRY ? s->voters - v0 : URNA_MAX_CREDENTIALS_ENTRY;
			uint8_t(*X)[32] = malloc(cnt * 32), x[32];
			char cred[48];
			for (uint64_t v = 0; X && v < cnt; v++) {
				snprintf(cred, sizeof cred, "VOTER%llu", (unsigned long long)(v0 + v));
				if (credential_keys(x, X[v], s->id, rid[i], cred)) {
					free(X);
					X = NULL;
				}
			}
			sodium_memzero(x, sizeof x);
			json_t *cb = X ? cred_make((const uint8_t(*)[32])X, cnt) : NULL;
			size_t cl;
			char *cbytes = cb ? canon_encode(cb, &cl) : NULL;
			if (cbytes)
				hash32(lh[nl++], cbytes, cl);
			free(cbytes);
			if (!X || emit(&g, KIND_CREDENTIALS, rid[i], "authority-1", cb)) {
				free(X);
				free(lh);
				err_set(e, e->code ? e->code : URNA_E_IO, "%s", e->code ? e->msg : "credentials");
				goto out;
			}
			free(X);
		}
		int bad = emit(&g, KIND_ELECTORATE, rid[i], "authority-1", electorate_make(s->voters, (const uint8_t(*)[32])lh, nl));
		free(lh);
		if (bad)
			goto out;
	}
	/* ballots (s.6, s.14), made on both cores, appended in turn */
	g.time = opens.utc;
	if (!(lines = calloc(s->ballots ? s->ballots : 1, sizeof *lines)) || !(lens = calloc(s->ballots ? s->ballots : 1, sizeof *lens))) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	for (uint32_t i = 0; i < nr; i++) {
		region_info ri;
		bjob job[2];
		int threads = s->threads == 2 ? 2 : 1;
		election_region(g.el, i, &ri);
		for (int k = 0; k < threads; k++) {
			memset(&job[k], 0, sizeof job[k]);
			job[k].s = s, job[k].region = rid[i], job[k].m = ri.m, job[k].out = lines, job[k].len = lens;
			memcpy(job[k].h_E, ri.h_E, 32);
			memcpy(job[k].K, K, 32);
			job[k].from = s->ballots * (uint64_t)k / (uint64_t)threads;
			job[k].to = s->ballots * (uint64_t)(k + 1) / (uint64_t)threads;
		}
		parallel_run(ballots_run, job, sizeof job[0], threads);
		for (int k = 0; k < threads; k++)
			if (job[k].rc) {
				*e = job[k].e;
				goto out;
			}
		for (uint64_t b = 0; b < s->ballots; b++) {
			uint8_t prev[32];
			size_t len;
			char *line;
			g.time = opens.utc + (int64_t)((43000 * ((uint64_t)i * s->ballots + b)) / ((uint64_t)nr * s->ballots));
			if (s->schedule_change && i == nr - 1 && b == s->ballots / 2) {
				json_t *why = text("More time");
				json_t *sb = schedule_make(&opens, &closes2, &announce2, why);
				json_decref(why);
				if (emit(&g, KIND_SCHEDULE, NULL, "organizer", sb))
					goto out;
			}
			election_head(g.el, prev);
			if (!(line = line_make(&len, election_next_seq(g.el), prev, g.time, KIND_BALLOT, rid[i], NULL, lines[b], lens[b],
			                       e)))
				goto out;
			int bad = election_apply(g.el, line, len, APPLY_TRUSTED, e) ||
			          fwrite(line, 1, len, out) != len || fputc('\n', out) == EOF;
			free(line);
			free(lines[b]);
			lines[b] = NULL;
			if (bad)
				goto out;
		}
		if (progress)
			fprintf(stderr, "\rsample: region %u of %u: %llu ballots", i + 1, nr, (unsigned long long)s->ballots);
	}
	if (progress)
		fprintf(stderr, "\n");
	/* close, tally, decryptions, results (s.8) */
	const rtime *cl = s->schedule_change ? &closes2 : &closes;
	const rtime *an = s->schedule_change ? &announce2 : &announce;
	g.time = cl->utc + cl->grace;
	if (emit(&g, KIND_CLOSE, NULL, "organizer", close_make(cl)))
		goto out;
	for (uint32_t i = 0; i < nr; i++) {
		tally_body tb;
		region_info ri;
		election_region(g.el, i, &ri);
		if (election_tally(g.el, i, &tb, 2, e) || emit(&g, KIND_TALLY, rid[i], "server", tally_make(&tb)))
			goto out;
		uint32_t done = 0;
		for (uint32_t j = 1; j <= n && done < t; j++) {
			decryption_body *d = malloc(sizeof *d);
			uint8_t xj[32], sh[32];
			int qual = 1;
			if (!d)
				goto out;
			if (t < n && (int)j == s->bad_dealer)
				qual = 0;
			if (!qual) {
				free(d);
				continue;
			}
			memset(xj, 0, 32);
			for (uint32_t k = 1; k <= n; k++) {
				if (t < n && (int)k == s->bad_dealer)
					continue;
				if (t == n) {
					if (k == j)
						memcpy(xj, f[k - 1].a[0], 32);
					continue;
				}
				poly_eval(sh, &f[k - 1], j);
				scalar_add(xj, xj, sh);
			}
			urna_dec_bind db = {.j = j};
			memcpy(db.h_R, h_R, 32);
			memcpy(db.h_E, ri.h_E, 32);
			memcpy(db.K, K, 32);
			int bad = election_vkey(g.el, j, db.X_j) || decryption_make(d, &db, &tb, xj, e);
			sodium_memzero(xj, sizeof xj);
			if (bad || emit(&g, KIND_DECRYPTION, rid[i], trustee_by(by, j), decryption_json(d))) {
				free(d);
				goto out;
			}
			free(d);
			done++;
		}
	}
	g.time = an->utc;
	if (emit(&g, KIND_PUBLISH, NULL, "organizer", publish_make(an)))
		goto out;
	for (uint32_t i = 0; i < nr; i++) {
		json_t *r;
		if (election_result_body(g.el, i, &r, e) || emit(&g, KIND_RESULT, rid[i], "server", r))
			goto out;
	}
	if (s->checkpoint) {
		uint64_t seq = election_next_seq(g.el) - 1;
		election_head(g.el, head);
		if (emit(&g, KIND_CHECKPOINT, NULL, "server", checkpoint_make(s->id, seq, head, g.sk[1])))
			goto out;
	}
	rc = fflush(out) == 0 ? 0 : err_set(e, URNA_E_IO, "cannot write the board");
out:
	for (uint64_t b = 0; lines && b < s->ballots; b++)
		free(lines[b]);
	free(lines);
	free(lens);
	if (f)
		for (uint32_t i = 0; i < URNA_MAX_TRUSTEES; i++)
			poly_wipe(&f[i]);
	free(f);
	sodium_memzero(g.sk, sizeof g.sk);
	election_free(g.el);
	return rc;
}
