/* identity.h (client): a role's key file: its Ed25519 identity key pair
 * (docs/protocol.md s.17), made once by `urna keygen`, mode 0600, kept by
 * that role alone. Its public half and fingerprint go into the spec and
 * are compared out of band. */
#ifndef URNA_CLIENT_IDENTITY_H
#define URNA_CLIENT_IDENTITY_H
#include <stdint.h>
#include "record/error.h"
#include "record/identity.h"

typedef struct {
	urna_role role;
	char name[128];  /* who, as people know them: "Trustee 2, Ivanova" */
	uint8_t pk[32];
	uint8_t sk[64];  /* libsodium's Ed25519 secret key (seed and public key) */
} identity_key;

/* Makes a new key pair for role and name and writes it to path (0600);
 * refuses to replace a file. id (may be NULL) gets it. 0 or -1 (e). */
int identity_keygen(const char *path, urna_role role, const char *name, identity_key *id, urna_err *e);

/* Reads a key file, checking that its public key is its secret key's.
 * 0 or -1 (e: malformed for a file that is not a key file). Wipe the key
 * with identity_wipe when done. */
int identity_load(const char *path, identity_key *id, urna_err *e);
void identity_wipe(identity_key *id);

#endif
