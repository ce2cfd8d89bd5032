/* keyfile.h: a role's key file: its Ed25519 identity key pair
 * (docs/protocol.md s.17), made once by `urna keygen`, mode 0600, kept by
 * that role alone. Its public half and fingerprint go into the spec and
 * are compared out of band. */
#ifndef URNA_KEYFILE_H
#define URNA_KEYFILE_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "record/body.h"
#include "record/error.h"
#include "record/identity.h"

typedef struct {
	urna_role role;
	char name[128];  /* who, as people know them: "Trustee 2, Ivanova" */
	uint8_t pk[32];
	uint8_t sk[64];  /* libsodium's Ed25519 secret key (seed and public key) */
} identity_key;

/* Makes a new key pair for role and name and writes it to path (0600),
 * and its public half to identity_pub_path(path) (0644: what the role
 * hands to the organizer); refuses to replace a file. id (may be NULL)
 * gets it. 0 or -1 (e). */
int identity_keygen(const char *path, urna_role role, const char *name, identity_key *id, urna_err *e);

/* Reads a key file, checking that its public key is its secret key's.
 * 0 or -1 (e: malformed for a file that is not a key file). Wipe the key
 * with identity_wipe when done. */
int identity_load(const char *path, identity_key *id, urna_err *e);
void identity_wipe(identity_key *id);

/* The public key file next to a key file: PATH without ".key", plus
 * ".pub" ("t1.key" -> "t1.pub"; "t1" -> "t1.pub"). 0, or -1 if too long. */
int identity_pub_path(char *out, size_t cap, const char *path);
/* Reads a public key file {"fingerprint","name","public_key","role",
 * "version":1} of role want into k (its name and key). 0 or -1 (e:
 * malformed, mismatch when it is another role's or its fingerprint is not
 * its key's). */
int identity_pub_load(const char *path, urna_role want, role_key *k, urna_err *e);
/* {"key","name"} of id, as a referendum entry names a role. */
json_t *identity_role_json(const identity_key *id);

/* A trustee's X25519 box key pair (s.4), derived from its identity seed
 * with crypto_kdf (subkey 1, context "urna-box"): the box key is the
 * identity's, and needs no file of its own. */
void identity_box_keypair(const identity_key *id, uint8_t pk[static 32], uint8_t sk[static 32]);

#endif
