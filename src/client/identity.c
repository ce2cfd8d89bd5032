/* identity.c: a role's key file (identity.h). The file is one JSON object:
 * {"version":1,"role":ROLE,"name":TEXT,"public_key":B64(32),"seed":B64(32)}. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <jansson.h>
#include <sodium.h>
#include "client/identity.h"
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
	int rc = txt ? file_write(path, txt, strlen(txt), 0600, e) : err_set(e, URNA_E_MALFORMED, "the name is not UTF-8");
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
		return -1;
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
