/* entry.c: entry authors and their signatures (entry.h). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "record/canon.h"
#include "record/entry.h"

void author_name(char by[static URNA_BY_MAX], urna_role role, uint32_t index)
{
	if (role == ROLE_AUTHORITY || role == ROLE_TRUSTEE)
		snprintf(by, URNA_BY_MAX, "%s-%u", role_name(role), index);
	else
		snprintf(by, URNA_BY_MAX, "%s", role_name(role));
}

int author_parse(const char *by, urna_role *role, uint32_t *index)
{
	const char *dash = strchr(by, '-');
	char name[16];
	size_t n = dash ? (size_t)(dash - by) : strlen(by);
	if (n >= sizeof name)
		return -1;
	memcpy(name, by, n);
	name[n] = '\0';
	int r = role_parse(name);
	if (r < 0)
		return -1;
	*role = (urna_role)r;
	*index = 0;
	if ((r == ROLE_AUTHORITY || r == ROLE_TRUSTEE) != (dash != NULL))
		return -1;
	if (dash) { /* decimal from 1, no leading zero, below 10^6 */
		const char *p = dash + 1;
		uint32_t v = 0;
		if (*p < '1' || *p > '9' || strlen(p) > 6)
			return -1;
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				return -1;
			v = v * 10 + (uint32_t)(*p - '0');
		}
		*index = v;
	}
	return 0;
}

void entry_msg(uint8_t out[static 64], const uint8_t h_R[static 32], rec_kind kind, const char *region,
               const char *by, uint32_t n, const char *body, size_t body_len)
{
	urna_hash h;
	uint8_t hb[32];
	hash32(hb, body, body_len);
	hash_init(&h, "entry/2");
	hash_add(&h, h_R, 32);
	hash_add_str(&h, kind_name(kind));
	hash_add_str(&h, region ? region : "");
	hash_add_str(&h, by);
	hash_add_u32(&h, n);
	hash_add(&h, hb, 32);
	hash_final64(&h, out);
}

void entry_sign(rec_sig *s, const uint8_t h_R[static 32], rec_kind kind, const char *region, uint32_t n,
                const char *body, size_t body_len, const uint8_t sk[static 64])
{
	uint8_t m[64];
	entry_msg(m, h_R, kind, region, s->by, n, body, body_len);
	crypto_sign_detached(s->sig, NULL, m, sizeof m, sk);
}

int entry_verify(const rec_sig *s, const uint8_t h_R[static 32], rec_kind kind, const char *region, uint32_t n,
                 const char *body, size_t body_len, const uint8_t pk[static 32], urna_err *e)
{
	uint8_t m[64];
	entry_msg(m, h_R, kind, region, s->by, n, body, body_len);
	if (crypto_sign_verify_detached(s->sig, m, sizeof m, pk) != 0)
		return err_set(e, URNA_E_BAD_SIGNATURE,
		               "%s entry: the signature is not %s's over this entry as its entry number %u (counting from 0)",
		               kind_name(kind), s->by, n);
	return 0;
}

int entry_req_parse(entry_req *r, const json_t *j, urna_err *e)
{
	static const char *const keys[] = {"body", "by", "kind", "region", "sig", NULL};
	const char *kind = json_string_value(json_object_get(j, "kind"));
	const char *by = json_string_value(json_object_get(j, "by"));
	const char *sig = json_string_value(json_object_get(j, "sig"));
	const json_t *region = json_object_get(j, "region"), *body = json_object_get(j, "body");
	urna_role role;
	uint32_t index;
	int k;

	memset(r, 0, sizeof *r);
	if (!json_is_object(j))
		return err_set(e, URNA_E_MALFORMED, "an entry is {\"kind\",\"region\"?,\"by\",\"sig\",\"body\"}");
	if (canon_known_keys(j, keys, "the entry", e) != 0)
		return -1;
	if (!kind || (k = kind_from_name(kind)) < 0)
		return err_set(e, URNA_E_MALFORMED, "\"kind\" must be one of the kinds of s.15");
	r->kind = (rec_kind)k;
	if (kind_has_region(r->kind) != (region != NULL) ||
	    (region && (!json_is_string(region) || json_string_length(region) >= URNA_ID_MAX ||
	                !canon_id_ok(json_string_value(region)))))
		return err_set(e, URNA_E_MALFORMED, "a %s entry %s \"region\" (an id)", kind,
		               kind_has_region(r->kind) ? "needs" : "has no");
	if (region)
		strcpy(r->region, json_string_value(region));
	if (!by || strlen(by) >= URNA_BY_MAX || author_parse(by, &role, &index) != 0)
		return err_set(e, URNA_E_MALFORMED, "\"by\" must name a role: organizer, server, authority-K or trustee-I");
	strcpy(r->by.by, by);
	if (!sig || b64url_decode(r->by.sig, 64, sig, strlen(sig)) != 0)
		return err_set(e, URNA_E_MALFORMED, "\"sig\" must be base64url of a 64-byte Ed25519 signature");
	if (!json_is_object(body))
		return err_set(e, URNA_E_MALFORMED, "\"body\" must be an object");
	if (!(r->body = canon_encode(body, &r->body_len)))
		return err_set(e, URNA_E_IO, "out of memory");
	return 0;
}

void entry_req_free(entry_req *r)
{
	free(r->body);
	r->body = NULL;
}

json_t *entry_req_json(rec_kind kind, const char *region, const rec_sig *by, const json_t *body)
{
	json_t *j = json_pack("{s:s,s:s,s:o,s:O}", "kind", kind_name(kind), "by", by->by, "sig", canon_b64(by->sig, 64),
	                      "body", body);
	if (j && region && *region)
		json_object_set_new(j, "region", json_string(region));
	return j;
}
