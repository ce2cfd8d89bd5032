/* body.c: entry bodies other than the ballot (docs/protocol.md s.15). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/parallel.h"
#include "crypto/dlog2.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "record/body.h"
#include "record/entry.h"

_Static_assert(URNA_MAX_COMMIT >= URNA_MAX_TRUSTEES, "a PoK covers every commitment of a dealer");

#define KEYS(...) ((const char *const[]){__VA_ARGS__, NULL})

static json_t *b64j(const uint8_t *p, size_t n)
{
	return canon_b64(p, n);
}

/* A JSON string holding a non-identity point: 0 or -1. */
static int str_point(uint8_t out[static 32], const json_t *v)
{
	return !json_is_string(v) || b64url_decode(out, 32, json_string_value(v), json_string_length(v)) != 0 ||
	               point_check_nonzero(out) != 0
	           ? -1
	           : 0;
}

/* ---- referendum ---- */

static int times_ok(const rtime *o, const rtime *c, const rtime *a, urna_err *e)
{
	if (!(o->utc < c->utc && c->utc <= a->utc))
		return err_set(e, URNA_E_MALFORMED, "times must satisfy opens_at < closes_at <= announce_at");
	return 0;
}

/* {"key","name"}[+ extra keys]: a role's name and Ed25519 key. */
static int role_key_parse(role_key *k, const json_t *o, const char *const *keys, const char *what, urna_err *e)
{
	const json_t *name = json_object_get(o, "name");
	if (canon_keys(o, keys, what, e))
		return -1;
	if (!json_is_string(name) || json_string_length(name) < 1 || json_string_length(name) >= URNA_NAME_MAX)
		return err_set(e, URNA_E_MALFORMED, "%s: \"name\" must be 1..%d bytes", what, URNA_NAME_MAX - 1);
	for (const char *p = json_string_value(name); *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return err_set(e, URNA_E_MALFORMED, "%s: \"name\" holds a control character", what);
	strcpy(k->name, json_string_value(name));
	if (canon_get_b64(k->key, 32, o, "key", e))
		return err_prefix(e, "%s", what);
	if (!crypto_core_ed25519_is_valid_point(k->key))
		return err_set(e, URNA_E_BAD_ENCODING, "%s: \"key\" is not an Ed25519 public key", what);
	return 0;
}

static int region_index(const referendum_body *r, const char *id)
{
	for (size_t i = 0; i < r->nregions; i++)
		if (!strcmp(r->regions[i], id))
			return (int)i;
	return -1;
}

static int parse_regions(referendum_body *r, const json_t *regs, urna_err *e)
{
	if (!json_is_array(regs) || json_array_size(regs) < 1 || json_array_size(regs) > URNA_MAX_REGIONS)
		return err_set(e, URNA_E_MALFORMED, "\"regions\" must list 1..%d region ids", URNA_MAX_REGIONS);
	r->regions = calloc(json_array_size(regs), sizeof *r->regions);
	r->region_auth = calloc(json_array_size(regs), sizeof *r->region_auth);
	if (!r->regions || !r->region_auth)
		return err_set(e, URNA_E_IO, "out of memory");
	for (size_t i = 0; i < json_array_size(regs); i++) {
		json_t *v = json_array_get(regs, i);
		if (!json_is_string(v) || json_string_length(v) >= URNA_ID_MAX || !canon_id_ok(json_string_value(v)) ||
		    region_index(r, json_string_value(v)) >= 0)
			return err_set(e, URNA_E_MALFORMED, "\"regions\" must list distinct region ids");
		strcpy(r->regions[i], json_string_value(v));
		r->nregions++;
	}
	return 0;
}

static int parse_trustees(referendum_body *r, const json_t *tr, urna_err *e)
{
	const json_t *ms = json_object_get(tr, "members");
	if (canon_keys(tr, KEYS("members", "t"), "trustees", e) || canon_get_u32(&r->t, tr, "t", e))
		return -1;
	if (!json_is_array(ms) || json_array_size(ms) < 1 || json_array_size(ms) > URNA_MAX_TRUSTEES)
		return err_set(e, URNA_E_MALFORMED, "\"trustees\": \"members\" must list 1..%d trustees", URNA_MAX_TRUSTEES);
	r->n = (uint32_t)json_array_size(ms);
	if (r->t < 1 || r->t > r->n)
		return err_set(e, URNA_E_MALFORMED, "trustees must satisfy 1 <= t <= n = %u", r->n);
	for (uint32_t i = 0; i < r->n; i++) {
		char what[32];
		snprintf(what, sizeof what, "trustee %u", i + 1);
		if (role_key_parse(&r->trustees[i], json_array_get(ms, i), KEYS("key", "name"), what, e))
			return -1;
	}
	return 0;
}

static int parse_authorities(referendum_body *r, const json_t *as, urna_err *e)
{
	if (!json_is_array(as) || json_array_size(as) < 1 || json_array_size(as) > r->nregions)
		return err_set(e, URNA_E_MALFORMED, "\"authorities\" must list 1..%zu credential authorities", r->nregions);
	if (!(r->authorities = calloc(json_array_size(as), sizeof *r->authorities)))
		return err_set(e, URNA_E_IO, "out of memory");
	r->nauth = json_array_size(as);
	for (size_t k = 0; k < r->nauth; k++) {
		const json_t *o = json_array_get(as, k), *regs = json_object_get(o, "regions");
		char what[32];
		snprintf(what, sizeof what, "authority %zu", k + 1);
		if (role_key_parse(&r->authorities[k], o, KEYS("key", "name", "regions"), what, e))
			return -1;
		if (!json_is_array(regs) || json_array_size(regs) < 1)
			return err_set(e, URNA_E_MALFORMED, "%s: \"regions\" must list its regions", what);
		for (size_t i = 0; i < json_array_size(regs); i++) {
			const char *id = json_string_value(json_array_get(regs, i));
			int g = id ? region_index(r, id) : -1;
			if (g < 0)
				return err_set(e, URNA_E_MALFORMED, "%s: region %s is not one of the referendum's", what,
				               id ? id : "(not a string)");
			if (r->region_auth[g])
				return err_set(e, URNA_E_MALFORMED, "region %s has two credential authorities (%u and %zu)", id,
				               r->region_auth[g], k + 1);
			r->region_auth[g] = (uint32_t)(k + 1);
		}
	}
	for (size_t g = 0; g < r->nregions; g++)
		if (!r->region_auth[g])
			return err_set(e, URNA_E_MALFORMED, "region %s has no credential authority", r->regions[g]);
	return 0;
}

/* One key, one role: the verifier's account of who did what relies on it. */
static int keys_distinct(const referendum_body *r, urna_err *e)
{
	const role_key *all[2 + URNA_MAX_TRUSTEES + URNA_MAX_REGIONS];
	size_t n = 0;
	all[n++] = &r->organizer;
	all[n++] = &r->server;
	for (uint32_t i = 0; i < r->n; i++)
		all[n++] = &r->trustees[i];
	for (size_t k = 0; k < r->nauth; k++)
		all[n++] = &r->authorities[k];
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (!memcmp(all[i]->key, all[j]->key, 32))
				return err_set(e, URNA_E_MALFORMED, "the key of %s is also %s's: each role needs its own key",
				               all[i]->name, all[j]->name);
	return 0;
}

int referendum_parse(referendum_body *r, const json_t *b, urna_err *e)
{
	json_t *tz = json_object_get(b, "timezone");

	memset(r, 0, sizeof *r);
	if (canon_keys(b, KEYS("id", "title", "timezone", "opens_at", "closes_at", "announce_at", "regions", "organizer",
	                       "server", "trustees", "authorities"), "referendum", e) ||
	    canon_get_id(r->id, b, "id", e) || canon_check_text(json_object_get(b, "title"), "title", e))
		return -1;
	if (!json_is_string(tz) || json_string_length(tz) >= sizeof r->timezone || !rtime_zone_ok(json_string_value(tz)))
		return err_set(e, URNA_E_MALFORMED, "\"timezone\" must be an IANA zone name");
	strcpy(r->timezone, json_string_value(tz));
	if (rtime_parse(&r->opens, json_object_get(b, "opens_at"), "opens_at", e) ||
	    rtime_parse(&r->closes, json_object_get(b, "closes_at"), "closes_at", e) ||
	    rtime_parse(&r->announce, json_object_get(b, "announce_at"), "announce_at", e) ||
	    times_ok(&r->opens, &r->closes, &r->announce, e))
		return -1;
	if (parse_regions(r, json_object_get(b, "regions"), e) ||
	    role_key_parse(&r->organizer, json_object_get(b, "organizer"), KEYS("key", "name"), "organizer", e) ||
	    role_key_parse(&r->server, json_object_get(b, "server"), KEYS("key", "name"), "server", e) ||
	    parse_trustees(r, json_object_get(b, "trustees"), e) ||
	    parse_authorities(r, json_object_get(b, "authorities"), e) || keys_distinct(r, e)) {
		referendum_body_free(r);
		return -1;
	}
	return 0;
}

void referendum_body_free(referendum_body *r)
{
	free(r->regions);
	free(r->authorities);
	free(r->region_auth);
	r->regions = NULL;
	r->authorities = NULL;
	r->region_auth = NULL;
	r->nregions = r->nauth = 0;
}

json_t *referendum_make(const char *id, json_t *title, const char *tz, const rtime *opens, const rtime *closes,
                        const rtime *announce, const char *const *regions, size_t nregions, const json_t *roles,
                        urna_err *e)
{
	referendum_body chk;
	json_t *regs = json_array(), *b;
	for (size_t i = 0; i < nregions; i++)
		json_array_append_new(regs, json_string(regions[i]));
	b = json_pack("{s:s,s:O,s:s,s:o,s:o,s:o,s:o}", "id", id, "title", title, "timezone", tz, "opens_at",
	              rtime_json(opens), "closes_at", rtime_json(closes), "announce_at", rtime_json(announce), "regions",
	              regs);
	if (!b || !json_is_object(roles)) {
		json_decref(b);
		err_set(e, URNA_E_MALFORMED, "referendum: bad arguments");
		return NULL;
	}
	static const char *const role_keys[] = {"authorities", "organizer", "server", "trustees"};
	for (size_t i = 0; i < sizeof role_keys / sizeof *role_keys; i++)
		if (json_object_get(roles, role_keys[i]))
			json_object_set(b, role_keys[i], json_object_get(roles, role_keys[i]));
	if (referendum_parse(&chk, b, e)) {
		json_decref(b);
		return NULL;
	}
	referendum_body_free(&chk);
	return b;
}

const uint8_t *referendum_author_key(const referendum_body *r, const char *by)
{
	urna_role role;
	uint32_t i;
	if (author_parse(by, &role, &i) != 0)
		return NULL;
	switch (role) {
	case ROLE_ORGANIZER: return r->organizer.key;
	case ROLE_SERVER: return r->server.key;
	case ROLE_TRUSTEE: return i >= 1 && i <= r->n ? r->trustees[i - 1].key : NULL;
	case ROLE_AUTHORITY: return i >= 1 && i <= r->nauth ? r->authorities[i - 1].key : NULL;
	default: return NULL;
	}
}

/* ---- region manifest ---- */

int manifest_parse(manifest *m, const json_t *b, urna_err *e)
{
	json_t *qs = json_object_get(b, "questions");
	memset(m, 0, sizeof *m);
	if (canon_keys(b, KEYS("id", "name", "questions"), "manifest", e) || canon_get_id(m->id, b, "id", e) ||
	    canon_check_text(json_object_get(b, "name"), "name", e))
		return -1;
	if (!json_is_array(qs) || json_array_size(qs) < 1 || json_array_size(qs) > URNA_MAX_QUESTIONS)
		return err_set(e, URNA_E_MALFORMED, "\"questions\" must have 1..%d questions", URNA_MAX_QUESTIONS);
	m->nq = (uint32_t)json_array_size(qs);
	for (uint32_t q = 0; q < m->nq; q++) {
		json_t *o = json_array_get(qs, q), *cs = json_object_get(o, "choices");
		if (canon_keys(o, KEYS("text", "choices", "min", "max"), "question", e) ||
		    canon_check_text(json_object_get(o, "text"), "question text", e) ||
		    canon_get_u32(&m->min[q], o, "min", e) || canon_get_u32(&m->max[q], o, "max", e))
			return err_prefix(e, "region %s, question %u", m->id, q + 1);
		if (!json_is_array(cs) || json_array_size(cs) < 1 || json_array_size(cs) > URNA_MAX_CHOICES)
			return err_set(e, URNA_E_MALFORMED, "region %s, question %u must have 1..%d choices", m->id, q + 1,
			               URNA_MAX_CHOICES);
		m->m[q] = (uint32_t)json_array_size(cs);
		for (uint32_t k = 0; k < m->m[q]; k++)
			if (canon_check_text(json_array_get(cs, k), "choice", e))
				return err_prefix(e, "region %s, question %u, choice %u", m->id, q + 1, k + 1);
		if (m->min[q] > m->max[q] || m->max[q] > m->m[q] || m->max[q] < 1)
			return err_set(e, URNA_E_MALFORMED, "region %s, question %u: need min <= max, 1 <= max <= choices",
			               m->id, q + 1);
	}
	return 0;
}

int manifest_packed(const manifest *m, uint32_t q)
{
	return m->max[q] == 1 && m->m[q] <= 2;
}

uint32_t manifest_q_nct(const manifest *m, uint32_t q)
{
	return manifest_packed(m, q) ? 1 : m->m[q];
}

uint32_t manifest_nct(const manifest *m)
{
	uint32_t n = 0;
	for (uint32_t q = 0; q < m->nq; q++)
		n += manifest_q_nct(m, q);
	return n;
}

uint64_t packed_base(uint64_t electorate)
{
	uint64_t M = 2;
	if (electorate < 1 || electorate > URNA_MAX_ELECTORATE)
		return 0;
	while (M <= electorate)
		M *= 2;
	return M;
}

uint32_t packed_values(const manifest *m, uint32_t q, uint64_t M, uint64_t vals[URNA_MAX_PACKED])
{
	uint32_t n = 0;
	if (m->min[q] == 0)
		vals[n++] = 0;
	vals[n++] = 1;
	if (m->m[q] == 2)
		vals[n++] = M;
	return n;
}

/* ---- trustee messages ---- */

static int get_index(uint32_t *out, const json_t *o, const char *key, urna_err *e)
{
	if (canon_get_u32(out, o, key, e))
		return -1;
	if (*out < 1 || *out > URNA_MAX_TRUSTEES)
		return err_set(e, URNA_E_MALFORMED, "\"%s\" must be a trustee index 1..%d", key, URNA_MAX_TRUSTEES);
	return 0;
}

int tmsg_parse(tmsg *m, const json_t *b, urna_err *e)
{
	const char *type = json_string_value(json_object_get(b, "type"));
	memset(m, 0, sizeof *m);
	if (!type)
		return err_set(e, URNA_E_MALFORMED, "trustee entry: \"type\" missing");
	if (!strcmp(type, "commit")) {
		json_t *cs = json_object_get(b, "commitments"), *pok = json_object_get(b, "pok");
		m->type = TMSG_COMMIT;
		if (canon_keys(b, KEYS("type", "index", "commitments", "pok", "box_key"), "commit", e) ||
		    get_index(&m->index, b, "index", e) || canon_keys(pok, KEYS("A", "z"), "pok", e) ||
		    canon_get_point(m->pok.A, pok, "A", e) || canon_get_scalar(m->pok.z, pok, "z", e) ||
		    canon_get_b64(m->box_key, 32, b, "box_key", e))
			return -1;
		if (!json_is_array(cs) || json_array_size(cs) < 1 || json_array_size(cs) > URNA_MAX_TRUSTEES)
			return err_set(e, URNA_E_MALFORMED, "\"commitments\" must list 1..%d points", URNA_MAX_TRUSTEES);
		m->ncommit = (uint32_t)json_array_size(cs);
		for (uint32_t k = 0; k < m->ncommit; k++)
			if (str_point(m->C[k], json_array_get(cs, k)))
				return err_set(e, URNA_E_BAD_ENCODING, "commitment %u is not a non-identity point", k);
		return 0;
	}
	if (!strcmp(type, "shares")) {
		json_t *sh = json_object_get(b, "shares");
		m->type = TMSG_SHARES;
		if (canon_keys(b, KEYS("type", "index", "shares"), "shares", e) || get_index(&m->index, b, "index", e))
			return -1;
		if (!json_is_array(sh) || json_array_size(sh) < 1 || json_array_size(sh) > URNA_MAX_TRUSTEES)
			return err_set(e, URNA_E_MALFORMED, "\"shares\" must list 1..%d sealed shares", URNA_MAX_TRUSTEES);
		m->nshares = (uint32_t)json_array_size(sh);
		for (uint32_t k = 0; k < m->nshares; k++) {
			json_t *s = json_array_get(sh, k);
			if (canon_keys(s, KEYS("to", "nonce", "box"), "share", e) || get_index(&m->shares[k].to, s, "to", e) ||
			    canon_get_b64(m->shares[k].nonce, URNA_BOX_NONCE, s, "nonce", e) ||
			    canon_get_b64(m->shares[k].box, URNA_SEALED_SHARE, s, "box", e))
				return -1;
		}
		return 0;
	}
	if (!strcmp(type, "complaint")) {
		m->type = TMSG_COMPLAINT;
		if (canon_keys(b, KEYS("type", "index", "against", "share", "shared_key"), "complaint", e) ||
		    get_index(&m->index, b, "index", e) || get_index(&m->against, b, "against", e) ||
		    canon_get_b64(m->share, 32, b, "share", e) || canon_get_b64(m->shared_key, 32, b, "shared_key", e))
			return -1;
		return 0;
	}
	if (!strcmp(type, "key")) {
		json_t *q = json_object_get(b, "qualified"), *vk = json_object_get(b, "verification_keys");
		m->type = TMSG_KEY;
		if (canon_keys(b, KEYS("type", "key", "qualified", "verification_keys"), "key", e) ||
		    canon_get_point_nonzero(m->key, b, "key", e))
			return -1;
		if (!json_is_array(q) || json_array_size(q) > URNA_MAX_TRUSTEES || !json_is_array(vk) ||
		    json_array_size(vk) < 1 || json_array_size(vk) > URNA_MAX_TRUSTEES)
			return err_set(e, URNA_E_MALFORMED, "key: \"qualified\" and \"verification_keys\" must be lists");
		m->nqual = (uint32_t)json_array_size(q);
		for (uint32_t k = 0; k < m->nqual; k++) {
			json_t *v = json_array_get(q, k);
			if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > URNA_MAX_TRUSTEES)
				return err_set(e, URNA_E_MALFORMED, "key: \"qualified\" must list trustee indices");
			m->qualified[k] = (uint32_t)json_integer_value(v);
		}
		m->nvk = (uint32_t)json_array_size(vk);
		for (uint32_t k = 0; k < m->nvk; k++)
			if (str_point(m->vk[k], json_array_get(vk, k)))
				return err_set(e, URNA_E_BAD_ENCODING, "verification key %u is not a non-identity point", k + 1);
		return 0;
	}
	return err_set(e, URNA_E_MALFORMED, "trustee entry: unknown type \"%s\"", type);
}

json_t *tmsg_commit_make(const uint8_t h_R[static 32], uint32_t i, const urna_poly *f,
                         const uint8_t box_pk[static 32], urna_err *e)
{
	uint8_t C[URNA_MAX_TRUSTEES][32];
	urna_schnorr pok;
	json_t *cs;
	if (f->t < 1 || f->t > URNA_MAX_TRUSTEES || poly_commit(C, f) != 0 ||
	    pok_prove(&pok, h_R, i, (const uint8_t(*)[32])C, f->t, box_pk, f->a[0]) != 0) {
		err_set(e, URNA_E_MALFORMED, "commit: bad polynomial");
		return NULL;
	}
	cs = json_array();
	for (uint32_t k = 0; k < f->t; k++)
		json_array_append_new(cs, b64j(C[k], 32));
	return json_pack("{s:s,s:i,s:o,s:{s:o,s:o},s:o}", "type", "commit", "index", (int)i, "commitments", cs, "pok",
	                 "A", b64j(pok.A, 32), "z", b64j(pok.z, 32), "box_key", b64j(box_pk, 32));
}

json_t *tmsg_shares_make(uint32_t i, uint32_t n, const urna_poly *f, const uint8_t box_sk[static 32],
                         const uint8_t (*pk)[32], urna_err *e)
{
	json_t *list = json_array();
	for (uint32_t j = 1; j <= n; j++) {
		uint8_t s[32], box[URNA_SEALED_SHARE], nonce[URNA_BOX_NONCE];
		int rc;
		if (j == i)
			continue;
		poly_eval(s, f, j);
		rc = share_seal(box, nonce, s, pk[j - 1], box_sk);
		sodium_memzero(s, sizeof s);
		if (rc) {
			json_decref(list);
			err_set(e, URNA_E_MALFORMED, "shares: cannot seal to trustee %u", j);
			return NULL;
		}
		json_array_append_new(list, json_pack("{s:i,s:o,s:o}", "to", (int)j, "nonce", b64j(nonce, 24), "box",
		                                      b64j(box, URNA_SEALED_SHARE)));
	}
	return json_pack("{s:s,s:i,s:o}", "type", "shares", "index", (int)i, "shares", list);
}

json_t *tmsg_complaint_make(uint32_t j, uint32_t i, const uint8_t share[static 32], const uint8_t shared_key[static 32])
{
	return json_pack("{s:s,s:i,s:i,s:o,s:o}", "type", "complaint", "index", (int)j, "against", (int)i, "share",
	                 b64j(share, 32), "shared_key", b64j(shared_key, 32));
}

json_t *tmsg_key_make(const uint8_t K[static 32], const uint32_t *qualified, uint32_t nqual, const uint8_t (*vk)[32],
                      uint32_t n)
{
	json_t *q = json_array(), *v = json_array();
	for (uint32_t k = 0; k < nqual; k++)
		json_array_append_new(q, json_integer(qualified[k]));
	for (uint32_t k = 0; k < n; k++)
		json_array_append_new(v, b64j(vk[k], 32));
	return json_pack("{s:s,s:o,s:o,s:o}", "type", "key", "key", b64j(K, 32), "qualified", q, "verification_keys", v);
}

/* ---- credentials, schedule, close ---- */

static int cmp32(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

typedef struct {
	const uint8_t (*P)[32];
	size_t from, to;
	long bad; /* the first index that fails, or -1 */
} check_job;

static void *check_run(void *arg)
{
	check_job *j = arg;
	j->bad = -1;
	for (size_t i = j->from; i < j->to; i++)
		if (point_check_nonzero(j->P[i]) != 0) {
			j->bad = (long)i;
			break;
		}
	return NULL;
}

/* The first of P[0..n) that is no non-identity point, or -1: on two
 * threads when n is large enough to pay for the second. */
static long points_check_parallel(const uint8_t (*P)[32], size_t n)
{
	check_job j[2];
	int nj = n >= 256 ? 2 : 1;
	for (int k = 0; k < nj; k++)
		j[k] = (check_job){P, n * (size_t)k / (size_t)nj, n * (size_t)(k + 1) / (size_t)nj, -1};
	parallel_run(check_run, j, sizeof *j, nj);
	for (int k = 0; k < nj; k++)
		if (j[k].bad >= 0)
			return j[k].bad;
	return -1;
}

int cred_parse(cred_body *c, const json_t *b, urna_err *e)
{
	json_t *l = json_object_get(b, "credentials");
	memset(c, 0, sizeof *c);
	if (canon_keys(b, KEYS("credentials"), "credentials", e))
		return -1;
	if (!json_is_array(l) || json_array_size(l) < 1 || json_array_size(l) > URNA_MAX_CREDENTIALS_ENTRY)
		return err_set(e, URNA_E_MALFORMED, "\"credentials\" must list 1..%d points", URNA_MAX_CREDENTIALS_ENTRY);
	if (!(c->X = malloc(json_array_size(l) * 32)))
		return err_set(e, URNA_E_IO, "out of memory");
	c->n = json_array_size(l);
	for (size_t i = 0; i < c->n; i++) {
		json_t *v = json_array_get(l, i);
		if (!json_is_string(v) || b64url_decode(c->X[i], 32, json_string_value(v), json_string_length(v)) != 0) {
			cred_body_free(c);
			return err_set(e, URNA_E_BAD_ENCODING, "credential %zu is not a non-identity point", i);
		}
	}
	/* the points checked on both cores (a decode each: the ceremony's cost
	 * at a large electorate, before any ballot) */
	long bad = points_check_parallel((const uint8_t(*)[32])c->X, c->n);
	if (bad >= 0) {
		cred_body_free(c);
		return err_set(e, URNA_E_BAD_ENCODING, "credential %ld is not a non-identity point", bad);
	}
	/* A point twice in one list: sort a copy, compare neighbours. */
	uint8_t(*sorted)[32] = malloc(c->n * 32);
	if (!sorted) {
		cred_body_free(c);
		return err_set(e, URNA_E_IO, "out of memory");
	}
	memcpy(sorted, c->X, c->n * 32);
	qsort(sorted, c->n, 32, cmp32);
	for (size_t i = 1; i < c->n; i++)
		if (!memcmp(sorted[i - 1], sorted[i], 32)) {
			free(sorted);
			cred_body_free(c);
			return err_set(e, URNA_E_CONFLICT, "a credential is listed twice");
		}
	free(sorted);
	return 0;
}

void cred_body_free(cred_body *c)
{
	free(c->X);
	c->X = NULL;
	c->n = 0;
}

json_t *cred_make(const uint8_t (*X)[32], size_t n)
{
	json_t *l = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(l, b64j(X[i], 32));
	return json_pack("{s:o}", "credentials", l);
}

int schedule_parse(schedule_body *s, const json_t *b, urna_err *e)
{
	memset(s, 0, sizeof *s);
	if (canon_keys(b, KEYS("opens_at", "closes_at", "announce_at", "reason"), "schedule", e) ||
	    rtime_parse(&s->opens, json_object_get(b, "opens_at"), "opens_at", e) ||
	    rtime_parse(&s->closes, json_object_get(b, "closes_at"), "closes_at", e) ||
	    rtime_parse(&s->announce, json_object_get(b, "announce_at"), "announce_at", e) ||
	    times_ok(&s->opens, &s->closes, &s->announce, e) || canon_check_text(json_object_get(b, "reason"), "reason", e))
		return -1;
	return 0;
}

json_t *schedule_make(const rtime *opens, const rtime *closes, const rtime *announce, json_t *reason)
{
	return json_pack("{s:o,s:o,s:o,s:O}", "opens_at", rtime_json(opens), "closes_at", rtime_json(closes),
	                 "announce_at", rtime_json(announce), "reason", reason);
}

int close_parse(rtime *closes, const json_t *b, urna_err *e)
{
	memset(closes, 0, sizeof *closes);
	if (canon_keys(b, KEYS("closes_at"), "close", e) || rtime_parse(closes, json_object_get(b, "closes_at"), "closes_at", e))
		return -1;
	return 0;
}

json_t *close_make(const rtime *closes)
{
	return json_pack("{s:o}", "closes_at", rtime_json(closes));
}

int publish_parse(rtime *announce, const json_t *b, urna_err *e)
{
	memset(announce, 0, sizeof *announce);
	return canon_keys(b, KEYS("announce_at"), "publish", e) ||
	               rtime_parse(announce, json_object_get(b, "announce_at"), "announce_at", e)
	           ? -1
	           : 0;
}

json_t *publish_make(const rtime *announce)
{
	return json_pack("{s:o}", "announce_at", rtime_json(announce));
}

/* ---- electorate ---- */

int electorate_parse(electorate_body *eb, const json_t *b, urna_err *e)
{
	const json_t *ls = json_object_get(b, "lists"), *n = json_object_get(b, "electorate");
	memset(eb, 0, sizeof *eb);
	if (canon_keys(b, KEYS("electorate", "lists"), "electorate", e))
		return -1;
	if (!json_is_integer(n) || json_integer_value(n) < 0)
		return err_set(e, URNA_E_MALFORMED, "\"electorate\" must be a count");
	eb->electorate = (uint64_t)json_integer_value(n);
	if (!json_is_array(ls) || json_array_size(ls) > URNA_MAX_LISTS)
		return err_set(e, URNA_E_MALFORMED, "\"lists\" must hold 0..%d list hashes", URNA_MAX_LISTS);
	eb->nlists = (uint32_t)json_array_size(ls);
	if (eb->nlists && !(eb->lists = calloc(eb->nlists, 32)))
		return err_set(e, URNA_E_IO, "out of memory");
	for (uint32_t i = 0; i < eb->nlists; i++) {
		const json_t *v = json_array_get(ls, i);
		if (!json_is_string(v) || b64url_decode(eb->lists[i], 32, json_string_value(v), json_string_length(v))) {
			electorate_body_free(eb);
			return err_set(e, URNA_E_BAD_ENCODING, "\"lists\"[%u] must be base64url of 32 bytes", i);
		}
	}
	return 0;
}

void electorate_body_free(electorate_body *b)
{
	free(b->lists);
	b->lists = NULL;
	b->nlists = 0;
}

json_t *electorate_make(uint64_t electorate, const uint8_t (*lists)[32], uint32_t nlists)
{
	json_t *ls = json_array();
	for (uint32_t i = 0; i < nlists; i++)
		json_array_append_new(ls, b64j(lists[i], 32));
	return json_pack("{s:I,s:o}", "electorate", (json_int_t)electorate, "lists", ls);
}

/* ---- tally, decryption, result ---- */

/* Walks "questions":[{inner:[...]}]: checks the number of questions and of
 * entries in each, filling *nq and m[q]. */
static int qshape(uint32_t *nq, uint32_t *m, const json_t *qs, const char *inner, urna_err *e)
{
	if (!json_is_array(qs) || json_array_size(qs) < 1 || json_array_size(qs) > URNA_MAX_QUESTIONS)
		return err_set(e, URNA_E_MALFORMED, "\"questions\" must have 1..%d entries", URNA_MAX_QUESTIONS);
	*nq = (uint32_t)json_array_size(qs);
	for (uint32_t q = 0; q < *nq; q++) {
		json_t *o = json_array_get(qs, q), *cs = json_object_get(o, inner);
		if (!json_is_object(o) || !json_is_array(cs) || json_array_size(cs) < 1 ||
		    json_array_size(cs) > URNA_MAX_CHOICES)
			return err_set(e, URNA_E_MALFORMED, "question %u: \"%s\" must have 1..%d entries", q + 1, inner,
			               URNA_MAX_CHOICES);
		m[q] = (uint32_t)json_array_size(cs);
	}
	return 0;
}

int tally_parse(tally_body *t, const json_t *b, urna_err *e)
{
	json_t *qs = json_object_get(b, "questions");
	memset(t, 0, sizeof *t);
	if (canon_keys(b, KEYS("cast", "counted", "questions"), "tally", e) || canon_get_u64(&t->cast, b, "cast", e) ||
	    canon_get_u64(&t->counted, b, "counted", e) || qshape(&t->nq, t->m, qs, "choices", e))
		return -1;
	for (uint32_t q = 0; q < t->nq; q++) {
		json_t *o = json_array_get(qs, q), *cs = json_object_get(o, "choices");
		if (canon_keys(o, KEYS("choices"), "tally question", e))
			return -1;
		for (uint32_t k = 0; k < t->m[q]; k++) {
			json_t *c = json_array_get(cs, k);
			if (canon_keys(c, KEYS("A", "B"), "tally choice", e) || canon_get_point(t->ct[q][k].alpha, c, "A", e) ||
			    canon_get_point(t->ct[q][k].beta, c, "B", e))
				return -1;
		}
	}
	return 0;
}

json_t *tally_make(const tally_body *t)
{
	json_t *qs = json_array();
	for (uint32_t q = 0; q < t->nq; q++) {
		json_t *cs = json_array();
		for (uint32_t k = 0; k < t->m[q]; k++)
			json_array_append_new(cs, json_pack("{s:o,s:o}", "A", b64j(t->ct[q][k].alpha, 32), "B",
			                                    b64j(t->ct[q][k].beta, 32)));
		json_array_append_new(qs, json_pack("{s:o}", "choices", cs));
	}
	return json_pack("{s:I,s:I,s:o}", "cast", (json_int_t)t->cast, "counted", (json_int_t)t->counted, "questions", qs);
}

int decryption_parse(decryption_body *d, const json_t *b, urna_err *e)
{
	json_t *qs = json_object_get(b, "questions");
	memset(d, 0, sizeof *d);
	if (canon_keys(b, KEYS("trustee", "questions"), "decryption", e) || get_index(&d->trustee, b, "trustee", e) ||
	    qshape(&d->nq, d->m, qs, "choices", e))
		return -1;
	for (uint32_t q = 0; q < d->nq; q++) {
		json_t *o = json_array_get(qs, q), *cs = json_object_get(o, "choices");
		if (canon_keys(o, KEYS("choices"), "decryption question", e))
			return -1;
		for (uint32_t k = 0; k < d->m[q]; k++) {
			json_t *c = json_array_get(cs, k);
			if (canon_keys(c, KEYS("D", "U", "V", "z"), "decryption choice", e) ||
			    canon_get_point(d->D[q][k], c, "D", e) || canon_get_point(d->pf[q][k].U, c, "U", e) ||
			    canon_get_point(d->pf[q][k].V, c, "V", e) || canon_get_scalar(d->pf[q][k].z, c, "z", e))
				return -1;
		}
	}
	return 0;
}

int decryption_make(decryption_body *d, const urna_dec_bind *b, const tally_body *t, const uint8_t x[static 32],
                    urna_err *e)
{
	memset(d, 0, sizeof *d);
	d->trustee = b->j;
	d->nq = t->nq;
	memcpy(d->m, t->m, sizeof d->m);
	for (uint32_t q = 0; q < t->nq; q++)
		for (uint32_t k = 0; k < t->m[q]; k++)
			if (cp_decrypt(d->D[q][k], &d->pf[q][k], b, &t->ct[q][k], x) != 0)
				return err_set(e, URNA_E_BAD_ENCODING, "cannot decrypt question %u choice %u", q + 1, k + 1);
	return 0;
}

json_t *decryption_json(const decryption_body *d)
{
	json_t *qs = json_array();
	for (uint32_t q = 0; q < d->nq; q++) {
		json_t *cs = json_array();
		for (uint32_t k = 0; k < d->m[q]; k++)
			json_array_append_new(cs, json_pack("{s:o,s:o,s:o,s:o}", "D", b64j(d->D[q][k], 32), "U",
			                                    b64j(d->pf[q][k].U, 32), "V", b64j(d->pf[q][k].V, 32), "z",
			                                    b64j(d->pf[q][k].z, 32)));
		json_array_append_new(qs, json_pack("{s:o}", "choices", cs));
	}
	return json_pack("{s:i,s:o}", "trustee", (int)d->trustee, "questions", qs);
}

int decryption_verify(const decryption_body *d, const urna_dec_bind *b, const tally_body *t, urna_err *e)
{
	if (d->nq != t->nq || memcmp(d->m, t->m, sizeof d->m) != 0)
		return err_set(e, URNA_E_MALFORMED, "decryption does not have the tally's questions and choices");
	if (b->j != d->trustee)
		return err_set(e, URNA_E_MALFORMED, "decryption of trustee %u checked as trustee %u's", d->trustee, b->j);
	for (uint32_t q = 0; q < t->nq; q++)
		for (uint32_t k = 0; k < t->m[q]; k++)
			if (cp_verify(&d->pf[q][k], b, &t->ct[q][k], d->D[q][k]) != 0)
				return err_set(e, URNA_E_BAD_PROOF, "trustee %u: decryption proof of question %u choice %u fails",
				               d->trustee, q + 1, k + 1);
	return 0;
}

int result_parse(result_body *r, const json_t *b, urna_err *e)
{
	json_t *qs = json_object_get(b, "questions"), *tr = json_object_get(b, "trustees");
	memset(r, 0, sizeof *r);
	if (canon_keys(b, KEYS("cast", "counted", "electorate", "trustees", "questions"), "result", e) ||
	    canon_get_u64(&r->cast, b, "cast", e) || canon_get_u64(&r->counted, b, "counted", e) ||
	    canon_get_u64(&r->electorate, b, "electorate", e) || qshape(&r->nq, r->m, qs, "counts", e))
		return -1;
	if (!json_is_array(tr) || json_array_size(tr) < 1 || json_array_size(tr) > URNA_MAX_TRUSTEES)
		return err_set(e, URNA_E_MALFORMED, "\"trustees\" must list 1..%d indices", URNA_MAX_TRUSTEES);
	r->ntrustees = (uint32_t)json_array_size(tr);
	for (uint32_t i = 0; i < r->ntrustees; i++) {
		json_t *v = json_array_get(tr, i);
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > URNA_MAX_TRUSTEES ||
		    (i > 0 && json_integer_value(v) <= (json_int_t)r->trustees[i - 1]))
			return err_set(e, URNA_E_MALFORMED, "\"trustees\" must list ascending trustee indices");
		r->trustees[i] = (uint32_t)json_integer_value(v);
	}
	for (uint32_t q = 0; q < r->nq; q++) {
		json_t *o = json_array_get(qs, q), *cs = json_object_get(o, "counts");
		if (canon_keys(o, KEYS("counts", "blank"), "result question", e) || canon_get_u64(&r->blank[q], o, "blank", e))
			return -1;
		for (uint32_t k = 0; k < r->m[q]; k++) {
			json_t *v = json_array_get(cs, k);
			if (!json_is_integer(v) || json_integer_value(v) < 0)
				return err_set(e, URNA_E_MALFORMED, "question %u: counts must be integers >= 0", q + 1);
			r->counts[q][k] = (uint64_t)json_integer_value(v);
		}
	}
	return 0;
}

json_t *result_json(const result_body *r)
{
	json_t *qs = json_array(), *tr = json_array();
	for (uint32_t i = 0; i < r->ntrustees; i++)
		json_array_append_new(tr, json_integer(r->trustees[i]));
	for (uint32_t q = 0; q < r->nq; q++) {
		json_t *cs = json_array();
		for (uint32_t k = 0; k < r->m[q]; k++)
			json_array_append_new(cs, json_integer((json_int_t)r->counts[q][k]));
		json_array_append_new(qs, json_pack("{s:o,s:I}", "counts", cs, "blank", (json_int_t)r->blank[q]));
	}
	return json_pack("{s:I,s:I,s:I,s:o,s:o}", "cast", (json_int_t)r->cast, "counted", (json_int_t)r->counted,
	                 "electorate", (json_int_t)r->electorate, "trustees", tr, "questions", qs);
}

static int two_packed(const manifest *m, uint32_t q)
{
	return manifest_packed(m, q) && m->m[q] == 2;
}

/* The plaintext points S[q][c] = beta - D of tally t (D the decryptions
 * d[0..k) combined: Lagrange at 0 when threshold < trustees, their plain sum
 * when equal), after the checks result_combine and result_check share; M
 * the region's packing base (2 for a region without credentials, whose
 * counts are all 0 under any base). */
static int plaintexts(uint8_t (*S)[URNA_MAX_CHOICES][32], uint64_t *M, const manifest *m, const tally_body *t,
                      const decryption_body *const *d, size_t k, uint32_t threshold, uint32_t trustees,
                      uint64_t electorate, urna_err *e)
{
	uint32_t idx[URNA_MAX_TRUSTEES];
	uint8_t Dj[URNA_MAX_TRUSTEES][32];
	int two = 0;
	if (k < 1 || k > URNA_MAX_TRUSTEES)
		return err_set(e, URNA_E_STATE, "no decryptions to combine");
	int additive = threshold == trustees;
	if (additive && k != trustees)
		return err_set(e, URNA_E_STATE, "%zu decryptions: with threshold = trustees all %u are needed", k, trustees);
	if (t->nq != m->nq)
		return err_set(e, URNA_E_MALFORMED, "the tally does not have the manifest's questions");
	for (uint32_t q = 0; q < m->nq; q++) {
		if (t->m[q] != manifest_q_nct(m, q))
			return err_set(e, URNA_E_MALFORMED, "the tally does not have the manifest's ciphertexts");
		two |= two_packed(m, q);
	}
	*M = packed_base(electorate);
	if (!*M && t->counted == 0)
		*M = 2;
	if (two && (!*M || t->counted >= *M))
		return err_set(e, URNA_E_MISMATCH, "%llu counted ballots: no packed count under the electorate's base",
		               (unsigned long long)t->counted);
	for (size_t i = 0; i < k; i++)
		idx[i] = d[i]->trustee;
	for (uint32_t q = 0; q < t->nq; q++)
		for (uint32_t c = 0; c < t->m[q]; c++) {
			uint8_t D[32];
			for (size_t i = 0; i < k; i++)
				memcpy(Dj[i], d[i]->D[q][c], 32);
			int rc = additive ? combine_sum(D, (const uint8_t(*)[32])Dj, k)
			                  : combine_shares(D, (const uint8_t(*)[32])Dj, idx, k);
			if (rc != 0 || point_sub(S[q][c], t->ct[q][c].beta, D) != 0)
				return err_set(e, URNA_E_MISMATCH, "question %u choice %u: the decryptions do not combine", q + 1,
				               c + 1);
		}
	return 0;
}

static void result_head(result_body *r, const manifest *m, const tally_body *t, const decryption_body *const *d,
                        size_t k, uint64_t electorate)
{
	memset(r, 0, sizeof *r);
	r->cast = t->cast, r->counted = t->counted, r->electorate = electorate;
	r->nq = m->nq;
	memcpy(r->m, m->m, sizeof r->m);
	r->ntrustees = (uint32_t)k;
	for (size_t i = 0; i < k; i++)
		r->trustees[i] = d[i]->trustee;
}

static int not_found(const manifest *m, uint32_t q, uint32_t c, uint64_t M, uint64_t counted, urna_err *e)
{
	if (two_packed(m, q))
		return err_set(e, URNA_E_MISMATCH, "question %u: the combined decryption is no c1 + c2 M (M = %llu) "
		               "with c1 + c2 %s %llu", q + 1, (unsigned long long)M, m->min[q] ? "=" : "<=",
		               (unsigned long long)counted);
	return err_set(e, URNA_E_MISMATCH, "question %u choice %u: the combined decryption is no count in 0..%llu", q + 1,
	               c + 1, (unsigned long long)counted);
}

int result_combine(result_body *r, const manifest *m, const tally_body *t, const decryption_body *const *d,
                   size_t k, uint32_t threshold, uint32_t trustees, uint64_t electorate, urna_err *e)
{
	uint8_t (*S)[URNA_MAX_CHOICES][32] = malloc(sizeof *S * URNA_MAX_QUESTIONS);
	urna_dlog *dl = NULL;
	urna_dlog2 *dl2 = NULL;
	uint64_t M;
	int rc = -1, blank = 0, two = 0;

	memset(r, 0, sizeof *r);
	if (!S)
		return err_set(e, URNA_E_IO, "out of memory");
	if (plaintexts(S, &M, m, t, d, k, threshold, trustees, electorate, e))
		goto out;
	result_head(r, m, t, d, k, electorate);
	for (uint32_t q = 0; q < m->nq; q++)
		if (two_packed(m, q)) {
			two = 1;
			blank |= m->min[q] == 0;
		}
	if (!(dl = dlog_new(t->counted)) || (two && !(dl2 = dlog2_new(t->counted, M, blank, 2)))) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	for (uint32_t q = 0; q < t->nq; q++)
		for (uint32_t c = 0; c < t->m[q]; c++) {
			int found = two_packed(m, q) /* S = (c1 + c2 M) G */
			                ? dlog2_find(dl2, &r->counts[q][0], &r->counts[q][1], S[q][c], m->min[q] == 0)
			                : dlog_find(dl, &r->counts[q][c], S[q][c]); /* a choice's count, or a packed c1 */
			if (found != 0) {
				not_found(m, q, c, M, t->counted, e);
				goto out;
			}
		}
	rc = 0;
out:
	free(S);
	dlog_free(dl);
	dlog2_free(dl2);
	return rc;
}

int result_check(const result_body *r, const manifest *m, const tally_body *t, const decryption_body *const *d,
                 size_t k, uint32_t threshold, uint32_t trustees, uint64_t electorate, urna_err *e)
{
	uint8_t (*S)[URNA_MAX_CHOICES][32] = malloc(sizeof *S * URNA_MAX_QUESTIONS);
	result_body want;
	uint64_t M;
	int rc = -1;

	if (!S)
		return err_set(e, URNA_E_IO, "out of memory");
	if (plaintexts(S, &M, m, t, d, k, threshold, trustees, electorate, e))
		goto out;
	result_head(&want, m, t, d, k, electorate);
	if (r->cast != want.cast || r->counted != want.counted || r->electorate != want.electorate) {
		err_set(e, URNA_E_MISMATCH, "result: cast/counted/electorate differ from the board's %llu/%llu/%llu",
		        (unsigned long long)want.cast, (unsigned long long)want.counted, (unsigned long long)want.electorate);
		goto out;
	}
	if (r->nq != want.nq || memcmp(r->m, want.m, sizeof r->m)) {
		err_set(e, URNA_E_MISMATCH, "result does not have the manifest's questions and choices");
		goto out;
	}
	for (uint32_t q = 0; q < r->nq; q++)
		for (uint32_t c = 0; c < t->m[q]; c++) {
			/* the published counts, as the plaintext they claim: c1 + c2 M
			 * for a packed question, the count for a choice */
			uint64_t c1 = r->counts[q][c], c2 = two_packed(m, q) ? r->counts[q][1] : 0, n = r->counted;
			uint8_t P[32];
			int ok = c1 <= n && c2 <= n - c1 && (!two_packed(m, q) || m->min[q] == 0 || c1 + c2 == n);
			if (!ok || point_small_base(P, c1 + c2 * M) != 0 || sodium_memcmp(P, S[q][c], 32) != 0) {
				if (two_packed(m, q))
					err_set(e, URNA_E_MISMATCH, "question %u: published %llu and %llu, which are not the decrypted "
					        "c1 + c2 M (M = %llu)", q + 1, (unsigned long long)c1, (unsigned long long)c2,
					        (unsigned long long)M);
				else
					err_set(e, URNA_E_MISMATCH, "question %u choice %u: published %llu, which is not the decrypted "
					        "count", q + 1, c + 1, (unsigned long long)c1);
				goto out;
			}
		}
	rc = 0;
out:
	free(S);
	return rc;
}

/* ---- checkpoint ---- */

static void checkpoint_msg(uint8_t m[static 64], const char *referendum, uint64_t seq, const uint8_t head[static 32])
{
	urna_hash h;
	hash_init(&h, "checkpoint");
	hash_add_str(&h, referendum);
	hash_add_u32(&h, (uint32_t)seq);
	hash_add(&h, head, 32);
	hash_final64(&h, m);
}

int checkpoint_parse(checkpoint_body *c, const json_t *b, urna_err *e)
{
	memset(c, 0, sizeof *c);
	if (canon_keys(b, KEYS("seq", "head", "signature"), "checkpoint", e) || canon_get_u64(&c->seq, b, "seq", e) ||
	    canon_get_b64(c->head, 32, b, "head", e) || canon_get_b64(c->sig, 64, b, "signature", e))
		return -1;
	return 0;
}

json_t *checkpoint_make(const char *referendum, uint64_t seq, const uint8_t head[static 32], const uint8_t sk[static 64])
{
	uint8_t m[64], sig[64];
	checkpoint_msg(m, referendum, seq, head);
	crypto_sign_detached(sig, NULL, m, sizeof m, sk);
	return json_pack("{s:I,s:o,s:o}", "seq", (json_int_t)seq, "head", b64j(head, 32), "signature", b64j(sig, 64));
}

int checkpoint_verify(const checkpoint_body *c, const char *referendum, const uint8_t pk[static 32], urna_err *e)
{
	uint8_t m[64];
	checkpoint_msg(m, referendum, c->seq, c->head);
	if (crypto_sign_verify_detached(c->sig, m, sizeof m, pk) != 0)
		return err_set(e, URNA_E_BAD_SIGNATURE, "checkpoint of seq %llu: Ed25519 signature fails",
		               (unsigned long long)c->seq);
	return 0;
}
