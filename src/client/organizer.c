/* organizer.c: the organizer's steps (organizer.h). */
#include <stdio.h>
#include "client/organizer.h"
#include "record/file.h"

int organizer_create(const client_conn *c, const char *spec_path, char id[static 64], size_t *nregions, urna_err *e)
{
	json_t *spec = file_read_json(spec_path, ORGANIZER_SPEC_MAX, JSON_REJECT_DUPLICATES, e);
	if (!spec)
		return e->code = URNA_E_MALFORMED, -1; /* the file named is the caller's input */
	const char *sid = json_string_value(json_object_get(spec, "id"));
	int rc = -1;
	if (!json_is_object(spec) || !sid || !json_is_array(json_object_get(spec, "regions")))
		err_set(e, URNA_E_MALFORMED, "%s: a referendum spec needs \"id\" and \"regions\" (docs/api.md)", spec_path);
	else if (client_check_id("referendum", sid, e) == 0 &&
	         client_call(c, "POST", "/api/referendums", spec, NULL, NULL, "create referendum", e) == 0) {
		snprintf(id, 64, "%s", sid);
		*nregions = json_array_size(json_object_get(spec, "regions"));
		rc = 0;
	}
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

int organizer_schedule(const client_conn *c, const char *id, const char *opens, const char *closes,
                       const char *announce, const char *reason, const char *reason_ru, json_t **done, urna_err *e)
{
	json_t *cur = NULL, *ans = NULL, *body = NULL;
	*done = NULL;
	if (client_get_referendum(c, id, &cur, e) != 0)
		return -1;
	/* The reason is a text (s.10): an object keyed by language. */
	json_t *why = json_pack("{s:s}", "en", reason);
	if (why && reason_ru)
		json_object_set_new(why, "ru", json_string(reason_ru));
	opens = opens ? opens : local_of(cur, "opens_at");
	closes = closes ? closes : local_of(cur, "closes_at");
	announce = announce ? announce : local_of(cur, "announce_at");
	if (why && opens && closes && announce)
		body = json_pack("{s:s,s:s,s:s,s:O}", "opens_at", opens, "closes_at", closes, "announce_at", announce,
		                 "reason", why);
	int rc = -1;
	if (!body)
		err_set(e, URNA_E_MALFORMED, "cannot build the schedule (is the text UTF-8?)");
	else if (client_post(c, id, "schedule", body, &ans, "change schedule", e) == 0) {
		json_object_set(body, "seq", json_object_get(ans, "seq"));
		json_object_set(body, "timezone", json_object_get(cur, "timezone"));
		*done = json_incref(body);
		rc = 0;
	}
	json_decref(why);
	json_decref(body);
	json_decref(ans);
	json_decref(cur);
	return rc;
}
