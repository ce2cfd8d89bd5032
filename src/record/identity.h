/* identity.h: the roles of protocol 2 (docs/protocol.md s.17) and their
 * Ed25519 identity keys: the organizer, a credential authority, a trustee,
 * the server. A key's fingerprint is what people read aloud and compare
 * out of band, on the phone or on paper, before trusting a spec or a page. */
#ifndef URNA_IDENTITY_H
#define URNA_IDENTITY_H
#include <stdint.h>
#include "crypto/encoding.h"
#include "record/error.h"

typedef enum { ROLE_ORGANIZER, ROLE_AUTHORITY, ROLE_TRUSTEE, ROLE_SERVER, ROLE__COUNT } urna_role;

/* "organizer", "authority", "trustee", "server"; role_parse: -1 unknown. */
const char *role_name(urna_role r);
int role_parse(const char *name);

/* 10 bytes of H("fingerprint", public key) in base32, four groups of four:
 * "ABCD-EFGH-IJKL-MNOP" (80 bits; 19 characters and a NUL). */
#define URNA_FINGERPRINT_TEXT B32_LEN(10, 4)
void key_fingerprint(char out[static URNA_FINGERPRINT_TEXT], const uint8_t pk[static 32]);

#endif
