/* keyfile.c: a role's key file (keyfile.h). The file is one JSON object:
 * {"version":1,"role":ROLE,"name":TEXT,"public_key":B64(32),"seed":B64(32)}. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <jansson.h>
#include <sodium.h>
#include "record/keyfile.h"
#include "record/canon.h"
#include "record/file.h"

#define KEYFILE_MAX 4096

int identity_keygen(const char *path, urna_role role, const char *name, identity_key *out, urna_err *e)
{
	identity_key id = {.role = role};
	struct stat st;
	uint8_t seed[32];
	char pk[URNA_B64_32], sd[URNA_B64_32];
	if (!name || !*name || strlen(name) >= sizeof id.name)
		return err_set(e, URNA_E_MALFORMED, "a key needs a name of 1 to %zu bytes", sizeof id.name - 1);
	if (stat(path, &st) == 0)
		return err_set(e, URNA_E_CONFLICT, "%s exists already: a key file is never replaced", path);
	snprintf(id.name, sizeof id.name, "%s", name);
	randombytes_buf(seed, sizeof seed);
	crypto_sign_seed_keypair(id.pk, id.sk, seed);
	b64url_encode(pk, id.pk, 32);
	b64url_encode(sd, seed, 32);
	json_t *j = json_pack("{s:i,s:s,s:s,s:s,s:s}", "version", 1, "role", role_name(role), "name", name,
	                      "public_key", pk, "seed", sd);
	char *txt = j ? json_dumps(j, JSON_INDENT(1) | JSON_SORT_KEYS) : NULL;
	char pub[4096];
	if (identity_pub_path(pub, sizeof pub, path) != 0 || stat(pub, &st) == 0) {
		json_decref(j);
		free(txt);
		return err_set(e, URNA_E_CONFLICT, "%s exists already (or the path is too long): a key file is never replaced",
		               pub);
	}
	int rc = txt ? file_write(path, txt, strlen(txt), 0600, e) : err_set(e, URNA_E_MALFORMED, "the name is not UTF-8");
	if (rc == 0) {
		char fp[URNA_FINGERPRINT_TEXT];
		key_fingerprint(fp, id.pk);
		json_t *pj = json_pack("{s:i,s:s,s:s,s:s,s:s}", "version", 1, "role", role_name(role), "name", name,
		                       "public_key", pk, "fingerprint", fp);
		char *pt = pj ? json_dumps(pj, JSON_INDENT(1) | JSON_SORT_KEYS) : NULL;
		size_t pl = pt ? strlen(pt) : 0;
		rc = pt ? file_write(pub, pt, pl, 0644, e) : err_set(e, URNA_E_IO, "out of memory");
		free(pt);
		json_decref(pj);
	}
	if (txt)
		sodium_memzero(txt, strlen(txt));
	free(txt);
	json_decref(j); /* jansson's copy of the seed text is freed unwiped: it is in this process only */
	sodium_memzero(seed, sizeof seed);
	sodium_memzero(sd, sizeof sd);
	if (rc == 0 && out)
		*out = id;
	identity_wipe(&id);
	return rc;
}

int identity_load(const char *path, identity_key *id, urna_err *e)
{
	memset(id, 0, sizeof *id);
	json_t *j = file_read_json(path, KEYFILE_MAX, JSON_REJECT_DUPLICATES, e);
	if (!j)
		return e->code = URNA_E_MALFORMED, -1; /* the file named is the caller's input */
	const char *role = json_string_value(json_object_get(j, "role"));
	const char *name = json_string_value(json_object_get(j, "name"));
	const char *pk = json_string_value(json_object_get(j, "public_key"));
	const char *sd = json_string_value(json_object_get(j, "seed"));
	uint8_t seed[32], want[32];
	int r = role_parse(role), rc = -1;
	if (json_integer_value(json_object_get(j, "version")) != 1 || r < 0 || !name || !*name ||
	    strlen(name) >= sizeof id->name || !pk || !sd || b64url_decode(want, 32, pk, strlen(pk)) != 0 ||
	    b64url_decode(seed, 32, sd, strlen(sd)) != 0)
		err_set(e, URNA_E_MALFORMED, "%s is not an Urna key file (urna keygen makes them)", path);
	else {
		id->role = (urna_role)r;
		snprintf(id->name, sizeof id->name, "%s", name);
		crypto_sign_seed_keypair(id->pk, id->sk, seed);
		if (sodium_memcmp(id->pk, want, 32) != 0)
			err_set(e, URNA_E_MISMATCH, "%s: its public key is not its secret key's", path);
		else
			rc = 0;
	}
	sodium_memzero(seed, sizeof seed);
	json_decref(j);
	if (rc != 0)
		identity_wipe(id);
	return rc;
}

void identity_wipe(identity_key *id)
{
	sodium_memzero(id, sizeof *id);
}

int identity_pub_path(char *out, size_t cap, const char *path)
{
	size_t n = strlen(path);
	if (n >= 4 && !strcmp(path + n - 4, ".key"))
		n -= 4;
	return (size_t)snprintf(out, cap, "%.*s.pub", (int)n, path) >= cap ? -1 : 0;
}

int identity_pub_load(const char *path, urna_role want, role_key *k, urna_err *e)
{
	static const char *const keys[] = {"fingerprint", "name", "public_key", "role", "version", NULL};
	json_t *j = file_read_json(path, KEYFILE_MAX, JSON_REJECT_DUPLICATES, e);
	if (!j)
		return e->code = URNA_E_MALFORMED, -1; /* the file named is the caller's input */
	const char *role = json_string_value(json_object_get(j, "role"));
	const char *name = json_string_value(json_object_get(j, "name"));
	const char *pk = json_string_value(json_object_get(j, "public_key"));
	const char *fp = json_string_value(json_object_get(j, "fingerprint"));
	char want_fp[URNA_FINGERPRINT_TEXT];
	int rc = -1;
	memset(k, 0, sizeof *k);
	if (canon_known_keys(j, keys, path, NULL) != 0 || json_integer_value(json_object_get(j, "version")) != 1 || !role ||
	    !name || !*name || strlen(name) >= sizeof k->name || !pk || !fp ||
	    b64url_decode(k->key, 32, pk, strlen(pk)) != 0)
		err_set(e, URNA_E_MALFORMED, "%s is not an Urna public key file (urna keygen writes them)", path);
	else if (role_parse(role) != (int)want)
		err_set(e, URNA_E_MISMATCH, "%s is the public key of %s \"%s\", not of a%s %s", path, role, name,
		        want == ROLE_ORGANIZER || want == ROLE_AUTHORITY ? "n" : "", role_name(want));
	else if (key_fingerprint(want_fp, k->key), strcmp(want_fp, fp))
		err_set(e, URNA_E_MISMATCH, "%s: its fingerprint %s is not its key's (%s)", path, fp, want_fp);
	else {
		snprintf(k->name, sizeof k->name, "%s", name);
		rc = 0;
	}
	json_decref(j);
	return rc;
}

json_t *identity_role_json(const identity_key *id)
{
	return json_pack("{s:o,s:s}", "key", canon_b64(id->pk, 32), "name", id->name);
}

void identity_box_keypair(const identity_key *id, uint8_t pk[static 32], uint8_t sk[static 32])
{
	uint8_t seed[crypto_box_SEEDBYTES];
	crypto_kdf_derive_from_key(seed, sizeof seed, 1, "urna-box", id->sk); /* id->sk[0..32): the seed */
	crypto_box_seed_keypair(pk, sk, seed);
	sodium_memzero(seed, sizeof seed);
}
