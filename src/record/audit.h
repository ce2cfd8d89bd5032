/* audit.h: the Benaloh ballot audit check (docs/protocol.md s.16): an audit
 * file's bytes in, the selections its ballot encrypts out, or the first
 * check that fails. The one reader of the audit format in C: `urna
 * audit-ballot` runs it, and the ballot inside is read and verified by
 * ballot.h. The booth's JavaScript (web/js/urna-crypto.js auditCheck) makes
 * the same checks in the same order; tests/vectors/audit.json holds both to
 * the same verdicts. Verification only: no secret is involved. */
#ifndef URNA_AUDIT_H
#define URNA_AUDIT_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "crypto/proof.h"
#include "record/body.h"
#include "record/canon.h"
#include "record/error.h"

/* The largest audit file: a manifest (at most a board line, s.15) escaped
 * as a JSON string, with a ballot (64 KiB) and its randomness beside it. */
#define URNA_AUDIT_MAX (2u * URNA_LINE_MAX)

/* What an audit file that holds shows. */
typedef struct {
	char referendum[URNA_ID_MAX], region[URNA_ID_MAX];
	manifest m;           /* the questions' shapes (nq, m[q], min, max) and the file's h_R */
	json_t *manifest;     /* the manifest parsed, for its texts (audit_result_free) */
	uint8_t tracker[32];  /* hash32 of the (unsigned) ballot's canonical bytes */
	uint8_t sel[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES]; /* 1 = choice k of question q selected */
} audit_result;

/* Checks the audit file bytes[0..len) (need not be NUL-terminated) with the
 * checks of s.16, in its order, and stops at the first that fails:
 *  1. the document: at most URNA_AUDIT_MAX bytes (too_large); JSON with no
 *     duplicate key and no real number; exactly the keys of s.16; version 2;
 *     referendum and region ids; the manifest a string of canonical JSON
 *     that manifest_parse accepts (all malformed); election_key a
 *     non-identity point, referendum_hash (h_R) and tracker 32 bytes
 *     (bad_encoding); electorate an integer 1..URNA_MAX_ELECTORATE
 *     (malformed); randomness one list per question, of one exact {r, v}
 *     per choice with v 0 or 1, or for a packed question of one {r, v}
 *     with v one of its allowed values (0 where blank is allowed, 1, M)
 *     (malformed), r a scalar below l (bad_encoding); ballot an object
 *     (malformed);
 *  2. the ballot, by ballot.h: its canonical bytes through
 *     ballot_parse_unsigned (malformed, also when it is signed;
 *     bad_encoding, too_large); its referendum and region the file's, its
 *     region the manifest's id (mismatch); ballot_shape_ok under the
 *     electorate (malformed); ballot_verify under h_R = referendum_hash,
 *     h_E = hash32(manifest text) and K (bad_encoding, bad_proof); tracker
 *     its hash32 (mismatch);
 *  3. the openings: for each ciphertext alpha = rG, then beta = rK + vG
 *     (mismatch); then each question's count within min..max (mismatch).
 * Returns 0 with *out filled (release with audit_result_free), or -1 with e
 * (may be NULL) set: its code the class of the failed check, its message
 * naming the place; *out is then zeroed (nothing to release). Variable-time
 * is allowed (public data); thread-safe. */
int audit_check(audit_result *out, const char *bytes, size_t len, urna_err *e);

/* Releases what audit_check put in r (its manifest); r may be zeroed. */
void audit_result_free(audit_result *r);

#endif
