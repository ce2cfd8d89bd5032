/* credentials.c: the credential authority's steps (docs/protocol.md s.5,
 * s.12): credentials made, their public list shuffled, written and
 * uploaded (credentials.h). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sodium.h>
#include "record/file.h"
#include "client/credentials.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/proof.h"

#define UPLOAD_CHUNK 10000

static void check_bytes(uint8_t out[4], const uint8_t rnd[16])
{
	urna_hash h;
	uint8_t d[64];
	hash_init(&h, "credential-check");
	hash_add(&h, rnd, 16);
	hash_final64(&h, d);
	memcpy(out, d, 4);
	sodium_memzero(d, sizeof d);
}

void credential_new(char text[static CRED_TEXT])
{
	uint8_t raw[20];
	randombytes_buf(raw, 16);
	check_bytes(raw + 16, raw);
	b32_encode(text, CRED_TEXT, raw, sizeof raw, 4);
	sodium_memzero(raw, sizeof raw);
}

int credential_normalise(char norm[static CRED_NORM], const char *text, urna_err *e)
{
	size_t n = 0;
	memset(norm, 0, CRED_NORM);
	for (const char *p = text; p && *p; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		if (n >= CRED_NORM - 1)
			goto bad;
		norm[n++] = (char)toupper((unsigned char)*p);
	}
	if (n != CRED_NORM - 1)
		goto bad;
	uint8_t raw[20], chk[4];
	if (b32_decode(raw, sizeof raw, norm) != 0)
		goto bad;
	check_bytes(chk, raw);
	int ok = sodium_memcmp(chk, raw + 16, 4) == 0;
	sodium_memzero(raw, sizeof raw);
	if (ok)
		return 0;
bad:
	sodium_memzero(norm, CRED_NORM);
	return err_set(e, URNA_E_MALFORMED,
	               "malformed credential (expected 32 base32 characters in groups of four, check failed: a typo?)");
}

int credential_derive(uint8_t x[static 32], uint8_t X[static 32], const char *referendum,
                      const char *region, const char *text, urna_err *e)
{
	char norm[CRED_NORM];
	memset(x, 0, 32);
	memset(X, 0, 32);
	if (credential_normalise(norm, text, e) != 0)
		return -1;
	int rc = credential_keys(x, X, referendum, region, norm);
	sodium_memzero(norm, sizeof norm);
	if (rc != 0) {
		memset(x, 0, 32);
		memset(X, 0, 32);
		return err_set(e, URNA_E_BAD_ENCODING, "cannot derive the credential key");
	}
	return 0;
}

/* ---- generate ------------------------------------------------------------ */

int credentials_generate(const char *ref, const char *region, unsigned long long count, const char *dir, int force,
                         char **priv_out, char **pub_out, urna_err *e)
{
	int rc = -1;
	*priv_out = *pub_out = NULL;
	if (client_check_id("referendum", ref, e) != 0 || client_check_id("region", region, e) != 0)
		return -1;
	if (count < 1 || count > CRED_MAX_COUNT)
		return err_set(e, URNA_E_MALFORMED, "the count must be 1..%llu", CRED_MAX_COUNT);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return err_set(e, URNA_E_IO, "cannot create %s: %s", dir, strerror(errno));

	size_t dl = strlen(dir) + strlen(region) + 32;
	char *priv_path = malloc(dl), *pub_path = malloc(dl);
	char *priv = malloc((size_t)count * CRED_TEXT + 1);
	char (*pub)[URNA_B64_32] = malloc((size_t)count * sizeof *pub);
	json_t *list = json_array(), *doc = NULL;
	char *txt = NULL;
	if (!priv_path || !pub_path || !priv || !pub || !list) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	snprintf(priv_path, dl, "%s/%s.private", dir, region);
	snprintf(pub_path, dl, "%s/%s.public.json", dir, region);
	struct stat st;
	if (!force && (stat(priv_path, &st) == 0 || stat(pub_path, &st) == 0)) {
		err_set(e, URNA_E_CONFLICT, "%s or %s exists already (use --force to replace)", priv_path, pub_path);
		goto out;
	}
	size_t plen = 0;
	for (unsigned long long i = 0; i < count; i++) {
		char text[CRED_TEXT];
		uint8_t x[32], X[32];
		credential_new(text);
		if (credential_derive(x, X, ref, region, text, e) != 0)
			goto out;
		sodium_memzero(x, sizeof x);
		memcpy(priv + plen, text, CRED_TEXT - 1);
		plen += CRED_TEXT - 1;
		priv[plen++] = '\n';
		b64url_encode(pub[i], X, 32);
		sodium_memzero(text, sizeof text);
	}
	/* The public list is shuffled (Fisher-Yates) so its order says nothing
	 * about the order in which credentials were handed out. */
	for (unsigned long long i = count - 1; i > 0; i--) {
		uint32_t j = randombytes_uniform((uint32_t)(i + 1));
		char tmp[URNA_B64_32];
		memcpy(tmp, pub[i], sizeof tmp);
		memcpy(pub[i], pub[j], sizeof tmp);
		memcpy(pub[j], tmp, sizeof tmp);
	}
	for (unsigned long long i = 0; i < count; i++)
		if (json_array_append_new(list, json_string(pub[i])) != 0) {
			err_set(e, URNA_E_IO, "out of memory");
			goto out;
		}
	doc = json_pack("{s:s,s:s,s:O}", "referendum", ref, "region", region, "credentials", list);
	txt = doc ? json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	if (!txt) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	size_t tl = strlen(txt);
	txt[tl] = '\n'; /* json_dumps leaves room for its NUL: write it as newline */
	if (file_write(priv_path, priv, plen, 0600, e) != 0 || file_write(pub_path, txt, tl + 1, 0644, e) != 0)
		goto out;
	*priv_out = priv_path;
	*pub_out = pub_path;
	priv_path = pub_path = NULL;
	rc = 0;
out:
	if (priv)
		sodium_memzero(priv, (size_t)count * CRED_TEXT + 1);
	free(priv);
	free(pub);
	free(priv_path);
	free(pub_path);
	free(txt);
	json_decref(doc);
	json_decref(list);
	return rc;
}

/* ---- upload -------------------------------------------------------------- */

int credentials_post(const client_conn *c, const char *ref, const char *region, json_t *list,
                     size_t from, size_t n, long long *electorate, urna_err *e)
{
	char action[128];
	snprintf(action, sizeof action, "regions/%s/credentials", region);
	json_t *chunk = json_array(), *body = NULL, *ans = NULL;
	int rc = -1;
	if (!chunk)
		return err_set(e, URNA_E_IO, "out of memory");
	for (size_t i = from; i < from + n; i++)
		json_array_append(chunk, json_array_get(list, i));
	body = json_pack("{s:O}", "credentials", chunk);
	if (body && client_post(c, ref, action, body, &ans, "upload credentials", e) == 0) {
		json_t *el = json_object_get(ans, "electorate");
		if (electorate)
			*electorate = json_is_integer(el) ? json_integer_value(el) : -1;
		rc = 0;
	} else if (!body) {
		err_set(e, URNA_E_IO, "out of memory");
	}
	json_decref(ans);
	json_decref(body);
	json_decref(chunk);
	return rc;
}

int credentials_upload(const client_conn *c, const char *file, credentials_sent *sent, urna_err *e)
{
	/* a list of 10 million keys is about 460 MB */
	json_t *doc = file_read_json(file, (size_t)1 << 30, JSON_REJECT_DUPLICATES, e);
	if (!doc)
		return e->code = URNA_E_MALFORMED, -1; /* the file named is the caller's input */
	int rc = -1;
	json_t *list = json_object_get(doc, "credentials");
	const char *fref = json_string_value(json_object_get(doc, "referendum"));
	const char *freg = json_string_value(json_object_get(doc, "region"));
	char want_ref[64], want_region[64]; /* sent's own fields are written below */
	snprintf(want_ref, sizeof want_ref, "%s", sent->referendum);
	snprintf(want_region, sizeof want_region, "%s", sent->region);
	const char *ref = want_ref[0] ? want_ref : fref;
	const char *region = want_region[0] ? want_region : freg;
	sent->uploaded = 0;
	sent->electorate = -1;
	if (!json_is_array(list)) {
		err_set(e, URNA_E_MALFORMED, "%s has no \"credentials\" list", file);
		goto out;
	}
	if ((fref && ref && strcmp(ref, fref)) || (freg && region && strcmp(region, freg))) {
		err_set(e, URNA_E_MALFORMED, "%s is for %s/%s, not %s/%s", file, fref ? fref : "?", freg ? freg : "?",
		        ref, region);
		goto out;
	}
	if (!ref || !region) {
		err_set(e, URNA_E_MALFORMED, "give --referendum and --region");
		goto out;
	}
	if (client_check_id("referendum", ref, e) != 0 || client_check_id("region", region, e) != 0)
		goto out;
	snprintf(sent->referendum, sizeof sent->referendum, "%s", ref);
	snprintf(sent->region, sizeof sent->region, "%s", region);
	size_t n = json_array_size(list);
	for (size_t from = 0; from < n; from += UPLOAD_CHUNK) {
		size_t k = n - from < UPLOAD_CHUNK ? n - from : UPLOAD_CHUNK;
		if (credentials_post(c, ref, region, list, from, k, &sent->electorate, e) != 0)
			goto out;
		sent->uploaded = from + k;
	}
	rc = 0;
out:
	json_decref(doc);
	return rc;
}
