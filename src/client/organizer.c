/* organizer.c: the organizer's steps (organizer.h). */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "client/board.h"
#include "client/organizer.h"
#include "client/signer.h"
#include "record/file.h"
#include "record/identity.h"
#include "record/verifier.h"

/* A role of the spec: a public key file's path (relative to the spec's
 * folder dir) or {"name","key"} plus extra (borrowed keys copied, e.g. an
 * authority's "regions"). Returns the entry's {"key","name",...} or NULL. */
static json_t *spec_role(const json_t *v, urna_role role, const char *dir, const char *what, urna_err *e)
{
	if (json_is_string(v)) {
		char path[4096];
		role_key k;
		const char *p = json_string_value(v);
		if ((size_t)snprintf(path, sizeof path, "%s%s%s", p[0] == '/' ? "" : dir, p[0] == '/' ? "" : "/", p) >=
		    sizeof path) {
			err_set(e, URNA_E_MALFORMED, "%s: path too long", what);
			return NULL;
		}
		if (identity_pub_load(path, role, &k, e) != 0) {
			err_prefix(e, "%s", what);
			return NULL;
		}
		return json_pack("{s:o,s:s}", "key", canon_b64(k.key, 32), "name", k.name);
	}
	if (json_is_object(v) && json_is_string(json_object_get(v, "public"))) {
		json_t *r = spec_role(json_object_get(v, "public"), role, dir, what, e), *x;
		const char *key;
		json_object_foreach((json_t *)v, key, x)
			if (r && strcmp(key, "public"))
				json_object_set(r, key, x);
		return r;
	}
	if (json_is_object(v))
		return json_deep_copy(v);
	err_set(e, URNA_E_MALFORMED, "%s: a public key file (urna keygen writes NAME.pub) or {\"name\",\"key\"}", what);
	return NULL;
}

/* The roles of the referendum entry from the spec, the organizer's key
 * and the server's (GET /api/server when the spec names none). */
static json_t *spec_roles(const client_conn *c, const json_t *spec, const char *dir, const identity_key *org,
                          urna_err *e)
{
	const json_t *tr = json_object_get(spec, "trustees"), *as = json_object_get(spec, "authorities");
	const json_t *sv = json_object_get(spec, "server"), *ms = json_object_get(tr, "members");
	json_t *roles = json_pack("{s:o,s:[],s:{s:[],s:O}}", "organizer", identity_role_json(org), "authorities", "trustees",
	                          "members", "t", json_object_get(tr, "t"));
	char what[48];
	size_t i;
	json_t *v, *r;
	if (!roles || !json_is_array(ms) || !json_is_array(as)) {
		json_decref(roles);
		err_set(e, URNA_E_MALFORMED, "the spec needs \"trustees\": {\"t\", \"members\": [...]} and \"authorities\": [...] (docs/api.md)");
		return NULL;
	}
	json_array_foreach(ms, i, v) {
		snprintf(what, sizeof what, "trustee %zu", i + 1);
		if (!(r = spec_role(v, ROLE_TRUSTEE, dir, what, e)))
			goto bad;
		json_array_append_new(json_object_get(json_object_get(roles, "trustees"), "members"), r);
	}
	json_array_foreach(as, i, v) {
		snprintf(what, sizeof what, "authority %zu", i + 1);
		if (!(r = spec_role(v, ROLE_AUTHORITY, dir, what, e)))
			goto bad;
		json_array_append_new(json_object_get(roles, "authorities"), r);
	}
	if (sv) {
		if (!(r = spec_role(sv, ROLE_SERVER, dir, "server", e)))
			goto bad;
	} else {
		json_t *s = NULL;
		if (client_call(c, "GET", "/api/server", NULL, &s, NULL, "read the server's key", e) != 0)
			goto bad;
		r = json_pack("{s:O,s:O}", "key", json_object_get(s, "key"), "name", json_object_get(s, "name"));
		json_decref(s);
		if (!r) {
			err_set(e, URNA_E_MALFORMED, "the server's answer names no key");
			goto bad;
		}
	}
	json_object_set_new(roles, "server", r);
	return roles;
bad:
	json_decref(roles);
	return NULL;
}

/* A time of the spec, named in any error. */
static int spec_time(rtime *t, const char *zone, const json_t *spec, const char *key, urna_err *e)
{
	const char *s = json_string_value(json_object_get(spec, key));
	if (!s)
		return err_set(e, URNA_E_MALFORMED, "\"%s\" missing: a local time YYYY-MM-DDTHH:MM in \"timezone\"", key);
	return rtime_make(t, zone, s, e) ? err_prefix(e, "\"%s\"", key) : 0;
}

/* The referendum entry's body from the spec (NULL, e). */
static json_t *spec_referendum(const client_conn *c, const json_t *spec, const char *dir, const identity_key *org,
                               urna_err *e)
{
	static const char *const keys[] = {"id", "title", "timezone", "opens_at", "closes_at", "announce_at",
	                                   "trustees", "authorities", "server", "regions", NULL};
	const char *id = json_string_value(json_object_get(spec, "id"));
	const char *zone = json_string_value(json_object_get(spec, "timezone"));
	const json_t *regs = json_object_get(spec, "regions"), *m;
	const char *ids[URNA_MAX_REGIONS];
	rtime o, cl, a;
	size_t i;
	if (canon_known_keys(spec, keys, "the spec", e) != 0 || client_check_id("referendum", id, e) != 0)
		return NULL;
	if (!zone || !rtime_zone_ok(zone)) {
		err_set(e, URNA_E_MALFORMED, "\"timezone\": unknown zone '%s' (an IANA name: Europe/Moscow)", zone ? zone : "");
		return NULL;
	}
	if (spec_time(&o, zone, spec, "opens_at", e) || spec_time(&cl, zone, spec, "closes_at", e) ||
	    spec_time(&a, zone, spec, "announce_at", e))
		return NULL;
	if (!json_is_array(regs) || json_array_size(regs) == 0 || json_array_size(regs) > URNA_MAX_REGIONS) {
		err_set(e, URNA_E_MALFORMED, "\"regions\": 1 to %d manifests expected", URNA_MAX_REGIONS);
		return NULL;
	}
	json_array_foreach(regs, i, m)
		if (!(ids[i] = json_string_value(json_object_get(m, "id")))) {
			err_set(e, URNA_E_MALFORMED, "region %zu: \"id\" missing", i + 1);
			return NULL;
		}
	json_t *roles = spec_roles(c, spec, dir, org, e);
	json_t *b = roles ? referendum_make(id, json_object_get(spec, "title"), zone, &o, &cl, &a, ids,
	                                    json_array_size(regs), roles, e)
	                  : NULL;
	json_decref(roles);
	return b;
}

int organizer_create(const client_conn *c, const char *spec_path, const char *keyfile, char id[static 64],
                     size_t *nregions, json_t **made, urna_err *e)
{
	json_t *spec = file_read_json(spec_path, ORGANIZER_SPEC_MAX, JSON_REJECT_DUPLICATES, e), *ref = NULL, *req = NULL;
	identity_key org;
	signer s;
	char *bytes = NULL, *dir = NULL;
	size_t len;
	int rc = -1, have_s = 0;
	if (made)
		*made = NULL;
	if (!spec)
		return e->code = URNA_E_MALFORMED, -1; /* the file named is the caller's input */
	if (!json_is_object(spec)) {
		err_set(e, URNA_E_MALFORMED, "%s: a referendum spec is a JSON object (docs/api.md)", spec_path);
		goto out;
	}
	if (identity_load(keyfile, &org, e) != 0)
		goto out;
	if (org.role != ROLE_ORGANIZER) {
		err_set(e, URNA_E_MISMATCH, "%s is %s %s's key, this step is the organizer's", keyfile,
		        org.role == ROLE_AUTHORITY ? "an" : "a", role_name(org.role));
		identity_wipe(&org);
		goto out;
	}
	dir = strdup(spec_path);
	ref = dir ? spec_referendum(c, spec, dirname(dir), &org, e) : NULL;
	identity_wipe(&org);
	if (!ref || !(bytes = canon_encode(ref, &len)))
		goto out;
	if (signer_open_new(&s, keyfile, bytes, len, e) != 0)
		goto out;
	have_s = 1;
	json_t *list = json_array(), *m;
	size_t i;
	req = json_pack("{s:o}", "entries", list);
	json_array_append_new(list, signer_entry(&s, KIND_REFERENDUM, NULL, ref, e));
	json_array_foreach(json_object_get(spec, "regions"), i, m)
		json_array_append_new(list, signer_entry(&s, KIND_REGION, json_string_value(json_object_get(m, "id")), m, e));
	if (json_array_size(list) != 1 + json_array_size(json_object_get(spec, "regions")))
		goto out; /* a region's id is not an id: e says so */
	if (client_call(c, "POST", "/api/referendums", req, made, NULL, "create referendum", e) != 0)
		goto out;
	snprintf(id, 64, "%s", s.rb.id);
	*nregions = s.rb.nregions;
	rc = 0;
out:
	if (have_s)
		signer_close(&s);
	free(bytes);
	free(dir);
	json_decref(req);
	json_decref(ref);
	json_decref(spec);
	return rc;
}

/* A time of the referendum object as stated: its "local". */
static const char *local_of(const json_t *ref, const char *key)
{
	const json_t *t = json_object_get(ref, key);
	const char *s = json_string_value(json_object_get(t, "local"));
	return s ? s : json_string_value(t);
}

int organizer_schedule(const client_conn *c, const char *keyfile, const char *id, const char *opens,
                       const char *closes, const char *announce, const char *reason, const char *reason_ru,
                       json_t **done, urna_err *e)
{
	json_t *cur = NULL, *ans = NULL, *body = NULL, *why = NULL;
	rtime o, cl, a;
	signer s;
	int rc = -1;
	*done = NULL;
	if (signer_open(&s, c, id, keyfile, ROLE_ORGANIZER, e) != 0)
		return -1;
	if (client_get_referendum(c, id, &cur, e) != 0)
		goto out;
	/* The reason is a text (s.10): an object keyed by language. */
	why = json_pack("{s:s}", "en", reason);
	if (why && reason_ru)
		json_object_set_new(why, "ru", json_string(reason_ru));
	opens = opens ? opens : local_of(cur, "opens_at");
	closes = closes ? closes : local_of(cur, "closes_at");
	announce = announce ? announce : local_of(cur, "announce_at");
	if (!why || !opens || !closes || !announce) {
		err_set(e, URNA_E_MALFORMED, "cannot build the schedule (is the text UTF-8?)");
		goto out;
	}
	if (rtime_make(&o, s.rb.timezone, opens, e) || rtime_make(&cl, s.rb.timezone, closes, e) ||
	    rtime_make(&a, s.rb.timezone, announce, e) || !(body = schedule_make(&o, &cl, &a, why)))
		goto out;
	if (signer_post(&s, c, KIND_SCHEDULE, NULL, body, &ans, "change schedule", e) != 0)
		goto out;
	*done = json_pack("{s:s,s:s,s:s,s:O,s:O,s:s}", "opens_at", opens, "closes_at", closes, "announce_at", announce,
	                  "reason", why, "seq", json_object_get(ans, "seq"), "timezone", s.rb.timezone);
	rc = 0;
out:
	signer_close(&s);
	json_decref(why);
	json_decref(body);
	json_decref(ans);
	json_decref(cur);
	return rc;
}

int organizer_key(const client_conn *c, const char *keyfile, const char *id, json_t **ans, urna_err *e)
{
	board_view b = {0};
	election *el = NULL;
	json_t *body = NULL;
	signer s;
	verify_opts vo = {.threads = 1};
	int rc = -1;
	if (signer_open(&s, c, id, keyfile, ROLE_ORGANIZER, e) != 0)
		return -1;
	if (board_fetch(&b, c, id, e) != 0 || verify_board(b.text, b.text_len, &vo, &el, e) != 0 ||
	    election_key_body(el, &body, e) != 0)
		goto out;
	rc = signer_post(&s, c, KIND_TRUSTEE, NULL, body, ans, "end key ceremony", e);
out:
	election_free(el);
	board_free(&b);
	json_decref(body);
	signer_close(&s);
	return rc;
}

/* The close or publish entry: {KEY: the referendum's time in force}. */
static int request(const client_conn *c, const char *keyfile, const char *id, rec_kind kind, const char *key,
                   json_t **ans, const char *what, urna_err *e)
{
	json_t *cur = NULL, *body = NULL;
	signer s;
	int rc = -1;
	if (signer_open(&s, c, id, keyfile, ROLE_ORGANIZER, e) != 0)
		return -1;
	if (client_get_referendum(c, id, &cur, e) == 0) {
		const json_t *t = json_object_get(cur, key);
		/* The server's object carries more than {"local","utc"}: the entry holds just those. */
		body = json_pack("{s:{s:O,s:O}}", key, "local", json_object_get(t, "local"), "utc", json_object_get(t, "utc"));
		rc = body ? signer_post(&s, c, kind, NULL, body, ans, what, e) : err_set(e, URNA_E_MALFORMED, "the referendum has no %s", key);
	}
	json_decref(body);
	json_decref(cur);
	signer_close(&s);
	return rc;
}

int organizer_close(const client_conn *c, const char *keyfile, const char *id, json_t **ans, urna_err *e)
{
	return request(c, keyfile, id, KIND_CLOSE, "closes_at", ans, "close and tally", e);
}

int organizer_publish(const client_conn *c, const char *keyfile, const char *id, json_t **ans, urna_err *e)
{
	return request(c, keyfile, id, KIND_PUBLISH, "announce_at", ans, "publish", e);
}
