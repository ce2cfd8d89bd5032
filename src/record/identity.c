/* identity.c: roles and key fingerprints (identity.h). */
#include <string.h>
#include "crypto/hash.h"
#include "record/identity.h"

static const char *const NAMES[ROLE__COUNT] = {"organizer", "authority", "trustee", "server"};

const char *role_name(urna_role r)
{
	return (unsigned)r < ROLE__COUNT ? NAMES[r] : "?";
}

int role_parse(const char *name)
{
	for (int r = 0; name && r < ROLE__COUNT; r++)
		if (!strcmp(name, NAMES[r]))
			return r;
	return -1;
}

void key_fingerprint(char out[static URNA_FINGERPRINT_TEXT], const uint8_t pk[static 32])
{
	urna_hash h;
	uint8_t d[64];
	hash_init(&h, "fingerprint");
	hash_add(&h, pk, 32);
	hash_final64(&h, d);
	b32_encode(out, URNA_FINGERPRINT_TEXT, d, 10, 4);
}
