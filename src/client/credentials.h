/* credentials.h: private voter credentials (docs/protocol.md s.5, s.12) as
 * the credential authority makes them and a voter types them. Shared by
 * `urna credentials`, `urna vote` and `urna demo`. */
#ifndef URNA_CLIENT_CREDENTIALS_H
#define URNA_CLIENT_CREDENTIALS_H
#include <stdint.h>
#include <stddef.h>
#include <jansson.h>
#include <stdio.h>
#include "client/client.h"
#include "client/signer.h"
#include "crypto/encoding.h"
#include "record/error.h"

#define CRED_TEXT B32_LEN(20, 4) /* "ABCD-...-4567" (39 chars) and its NUL */
#define CRED_MAX_COUNT 10000000ULL /* credentials one generate call makes at most */
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

/* Makes count (1..CRED_MAX_COUNT) new credentials for ref/region in dir
 * (made 0700 if missing): DIR/REGION.private, the credential texts one a
 * line (mode 0600), and DIR/REGION.public.json, their public keys shuffled
 * (s.5). Refuses to replace either file unless force. On success
 * *priv_path and *pub_path are the two paths (caller frees). 0 or -1 (e). */
int credentials_generate(const char *ref, const char *region, unsigned long long count, const char *dir, int force,
                         char **priv_path, char **pub_path, urna_err *e);

/* What credentials_upload sent: give referendum and region ("" for the
 * file's own); they come back filled in. */
typedef struct {
	char referendum[64], region[64];
	size_t uploaded;      /* credentials accepted, also when a later call failed */
	long long electorate; /* the server's count after the last accepted call, -1 unknown */
	int final;            /* the electorate entry was already on the board: nothing was sent */
} credentials_sent;

/* The credential authority's part for one region: posts list (public
 * credentials, base64url strings) in entries of UPLOAD_CHUNK, skipping
 * those already on the board (an upload that stopped half way resumes),
 * then the electorate entry naming every list. 0 or -1 (e: mismatch when
 * the board holds lists this list does not make). When the electorate
 * entry is already there it sends nothing: 0 with sent->final when the
 * entry names exactly these lists and their count, else mismatch. */
int credentials_publish(const client_conn *c, signer *s, const char *region, const json_t *list,
                        credentials_sent *sent, urna_err *e);

/* credentials_publish of a public list file (as credentials_generate
 * writes it), signed with the authority's keyfile. */
int credentials_upload(const client_conn *c, const char *keyfile, const char *file, credentials_sent *sent, urna_err *e);

/* The authority's own check: the region's lists on the board are exactly
 * the file's, all signed by this authority, and its electorate entry
 * names them and their count. 0 (a line on log) or -1 (e says what
 * differs). */
int credentials_check(const client_conn *c, const char *keyfile, const char *file, credentials_sent *sent, FILE *log,
                      urna_err *e);

#endif
