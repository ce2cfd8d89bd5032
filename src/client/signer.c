/* signer.c: a role's signed entries (signer.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "client/signer.h"
#include "crypto/hash.h"
#include "record/entry.h"
#include "record/identity.h"

/* Where key pk stands in referendum rb as a role of kind want: by, index. */
static int find_role(signer *s, urna_role want, urna_err *e)
{
	const referendum_body *rb = &s->rb;
	const uint8_t *pk = s->id.pk;
	s->index = 0;
	switch (want) {
	case ROLE_ORGANIZER:
		if (!memcmp(rb->organizer.key, pk, 32))
			goto found;
		break;
	case ROLE_SERVER:
		if (!memcmp(rb->server.key, pk, 32))
			goto found;
		break;
	case ROLE_TRUSTEE:
		for (uint32_t i = 0; i < rb->n; i++)
			if (!memcmp(rb->trustees[i].key, pk, 32)) {
				s->index = i + 1;
				goto found;
			}
		break;
	case ROLE_AUTHORITY:
		for (size_t k = 0; k < rb->nauth; k++)
			if (!memcmp(rb->authorities[k].key, pk, 32)) {
				s->index = (uint32_t)(k + 1);
				goto found;
			}
		break;
	default: break;
	}
	char fp[URNA_FINGERPRINT_TEXT];
	key_fingerprint(fp, pk);
	return err_set(e, URNA_E_MISMATCH, "referendum %s does not name this key (%s \"%s\", %s) as its %s", rb->id,
	               role_name(s->id.role), s->id.name, fp, role_name(want));
found:
	author_name(s->by, want, s->index);
	return 0;
}

static int load_key(signer *s, const char *keyfile, urna_role want, urna_err *e)
{
	memset(s, 0, sizeof *s);
	if (identity_load(keyfile, &s->id, e) != 0)
		return -1;
	if (s->id.role != want) {
		err_set(e, URNA_E_MISMATCH, "%s is %s %s's key, this step is the %s's", keyfile,
		        s->id.role == ROLE_ORGANIZER || s->id.role == ROLE_AUTHORITY ? "an" : "a", role_name(s->id.role),
		        role_name(want));
		identity_wipe(&s->id);
		return -1;
	}
	return 0;
}

/* The referendum entry from its bytes; h_R is their hash32. */
static int read_ref(signer *s, const char *body, size_t len, urna_err *e)
{
	json_t *j = canon_parse(body, len, URNA_LINE_MAX, e);
	int rc = j && referendum_parse(&s->rb, j, e) == 0 ? 0 : -1;
	json_decref(j);
	if (rc == 0)
		hash32(s->h_R, body, len);
	return rc;
}

int signer_open(signer *s, const client_conn *c, const char *ref, const char *keyfile, urna_role want, urna_err *e)
{
	char path[160];
	http_resp resp = {0};
	rec_line l;
	json_t *cur = NULL;
	if (load_key(s, keyfile, want, e) != 0)
		return -1;
	int rc = -1;
	snprintf(s->ref, sizeof s->ref, "%s", ref);
	snprintf(path, sizeof path, "/api/referendums/%s/board?from=0&limit=1", ref);
	if (client_check_id("referendum", ref, e) != 0 ||
	    client_call_raw(c, "GET", path, NULL, 0, &resp, NULL, "read the referendum entry", e) != 0)
		goto out;
	size_t n = resp.len && resp.body[resp.len - 1] == '\n' ? resp.len - 1 : resp.len;
	if (line_parse(&l, resp.body, n, e) != 0 || l.kind != KIND_REFERENDUM) {
		err_set(e, URNA_E_MALFORMED, "the first line of %s's board is not a referendum entry", ref);
		goto out;
	}
	if (read_ref(s, l.body, l.body_len, e) != 0)
		goto out;
	if (strcmp(s->rb.id, ref)) {
		err_set(e, URNA_E_MISMATCH, "the server's board for %s begins with referendum %s", ref, s->rb.id);
		goto out;
	}
	if (find_role(s, want, e) != 0 || client_get_referendum(c, ref, &cur, e) != 0)
		goto out;
	/* The count is the server's; a wrong one only makes the signature fail. */
	size_t i;
	json_t *ro;
	json_array_foreach(json_object_get(cur, "roles"), i, ro) {
		const char *by = json_string_value(json_object_get(ro, "by"));
		if (by && !strcmp(by, s->by))
			s->n = (uint32_t)json_integer_value(json_object_get(ro, "entries"));
	}
	rc = 0;
out:
	json_decref(cur);
	http_resp_free(&resp);
	if (rc != 0)
		signer_close(s);
	return rc;
}

int signer_open_new(signer *s, const char *keyfile, const char *body, size_t body_len, urna_err *e)
{
	if (load_key(s, keyfile, ROLE_ORGANIZER, e) != 0)
		return -1;
	if (read_ref(s, body, body_len, e) != 0 || find_role(s, ROLE_ORGANIZER, e) != 0) {
		signer_close(s);
		return -1;
	}
	snprintf(s->ref, sizeof s->ref, "%s", s->rb.id);
	return 0;
}

void signer_close(signer *s)
{
	identity_wipe(&s->id);
	referendum_body_free(&s->rb);
}

json_t *signer_entry(signer *s, rec_kind kind, const char *region, const json_t *body, urna_err *e)
{
	size_t len;
	char *bytes = body ? canon_encode(body, &len) : NULL;
	rec_sig sig = {0};
	if (!bytes) {
		err_set(e, URNA_E_MALFORMED, "cannot encode the %s entry", kind_name(kind));
		return NULL;
	}
	memcpy(sig.by, s->by, sizeof sig.by);
	entry_sign(&sig, s->h_R, kind, region, s->n, bytes, len, s->id.sk);
	free(bytes);
	json_t *j = entry_req_json(kind, region, &sig, body);
	if (!j)
		err_set(e, URNA_E_IO, "out of memory");
	else
		s->n++;
	return j;
}

int signer_post(signer *s, const client_conn *c, rec_kind kind, const char *region, const json_t *body, json_t **out,
                const char *what, urna_err *e)
{
	json_t *req = signer_entry(s, kind, region, body, e);
	if (!req)
		return -1;
	int rc = client_post(c, s->ref, "entries", req, out, what, e);
	json_decref(req);
	if (rc != 0)
		s->n--; /* refused: the number is still free (a lost answer to an accepted entry needs a new signer_open) */
	return rc;
}
