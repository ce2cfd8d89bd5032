/* credentials.h: private voter credentials (docs/protocol.md s.5, s.12) as
 * the credential authority makes them and a voter types them. Shared by
 * `urna credentials`, `urna vote` and `urna demo`. */
#ifndef URNA_CLI_CREDENTIALS_H
#define URNA_CLI_CREDENTIALS_H
#include <stdint.h>
#include <stddef.h>
#include <jansson.h>
#include "cli/cli.h"
#include "crypto/encoding.h"
#include "record/error.h"

#define CRED_TEXT B32_LEN(20, 4) /* "ABCD-...-4567" (39 chars) and its NUL */
#define CRED_NORM 33 /* 32 base32 characters and a NUL */

/* Draws a fresh credential: 16 random bytes and their 4 check bytes, written
 * as eight dash-joined groups of four base32 characters into text. */
void credential_new(char text[static CRED_TEXT]);

/* Normalises text (drops '-' and spaces, upper-cases) into norm and checks
 * its length, alphabet and check bytes. Returns 0, or -1 with e set
 * (URNA_E_MALFORMED: "a typo") and norm zeroed. */
int credential_normalise(char norm[static CRED_NORM], const char *text, urna_err *e);

/* The public credential X (base64url in X_b64, 44 bytes) and secret x of
 * a credential for referendum/region. 0, or -1 with e set (x, X zeroed). */
int credential_derive(uint8_t x[static 32], uint8_t X[static 32], const char *referendum,
                      const char *region, const char *text, urna_err *e);

/* Posts list[from..from+n) (base64url strings) to the region's credential
 * list on the server (admin). *electorate (may be NULL) gets the server's
 * new electorate. 0, or -1 with e set. */
int credentials_post(const cli_conn *c, const char *ref, const char *region, json_t *list,
                     size_t from, size_t n, long long *electorate, urna_err *e);

#endif
