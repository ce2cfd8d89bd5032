/* ballot.h: the ballot (docs/protocol.md s.6, s.14): strict parsing into the
 * crypto structs of crypto/proof.h, verification (single or into a batch),
 * and building a signed ballot from a credential. */
#ifndef URNA_BALLOT_H
#define URNA_BALLOT_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/batch.h"
#include "crypto/proof.h"
#include "record/body.h"
#include "record/canon.h"
#include "record/error.h"

/* A parsed ballot. Large (~600 KiB): allocate with ballot_new, reuse it. */
typedef struct {
	char referendum[URNA_ID_MAX], region[URNA_ID_MAX];
	uint8_t X[32];
	uint32_t nq, m[URNA_MAX_QUESTIONS];
	urna_ct ct[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES];
	urna_range pf[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES]; /* lo = 0, hi = 1 */
	urna_range sum[URNA_MAX_QUESTIONS];                   /* lo..hi as read */
	urna_schnorr sig;
	uint8_t msg[32];      /* hash32 of the unsigned ballot bytes */
	uint8_t tracker[32];  /* hash32 of the ballot bytes */
	uint8_t h_R[32];      /* the referendum its proofs are checked under: the manifest's (ballot_shape_ok) */
} ballot;

ballot *ballot_new(void); /* NULL on allocation failure; free() it */
/* This thread's scratch ballot (allocated once, freed at thread exit; NULL
 * on allocation failure). Not reentrant within a thread. */
ballot *ballot_scratch(void);

/* Parses bytes[0..len): at most URNA_BALLOT_MAX, canonical (s.13), exactly
 * the keys of s.14, 1..16 questions of 1..16 choices, two branches per
 * choice, 1..17 branches for a sum, base64url of the right lengths,
 * scalars below l. Points are NOT decoded here (the batch or ballot_verify
 * decodes each once). Fills b including msg and tracker. Does not look at
 * any manifest (see ballot_shape_ok; h_R stays zero until it has run).
 * 0, or -1 with e set (too_large,
 * malformed, not_canonical, bad_encoding). */
int ballot_parse(ballot *b, const char *bytes, size_t len, urna_err *e);

/* Checks b's questions, choices and sum branches against manifest m and
 * takes from m the rest of what b's proofs are checked under: each sum's
 * lo..hi (the question's min..max) and the referendum's hash m->h_R.
 * 0, or -1 (malformed). */
int ballot_shape_ok(ballot *b, const manifest *m, urna_err *e);

/* Adds every proof and the signature of b (shape already checked) to bt
 * under item, bound to b->h_R, h_E, K and b's credential (s.11). -1 when
 * already known bad (the item is then failed in bt). */
int ballot_batch_add(urna_batch *bt, uint64_t item, const ballot *b, const uint8_t h_E[static 32],
                     const uint8_t K[static 32]);

/* Checks b (shape already checked) alone, bound as ballot_batch_add (a
 * batch of one). 0, or -1 with e set: bad_encoding (a
 * point does not decode or X is the identity), bad_signature, bad_proof
 * (told apart by single checks after the batch of one fails). */
int ballot_verify(const ballot *b, const uint8_t h_E[static 32], const uint8_t K[static 32], urna_err *e);

/* Builds a signed canonical ballot for region (manifest m, h_E) of
 * referendum m->h_R under election key K, with credential key pair x/X, selections
 * sel[q][k] in {0,1} (each question's count within min..max). Returns 0 with
 * *out (malloc'd, NUL-terminated, length *len) and tracker, or -1 (e).
 * Secrets are wiped, except that when r_out is not NULL it receives each
 * ciphertext's randomness r_out[q][k] (for a Benaloh audit, which reveals
 * it; the caller wipes it). Thread-safe. */
int ballot_make(char **out, size_t *len, uint8_t tracker[static 32], const char *referendum,
                const char *region, const manifest *m, const uint8_t h_E[static 32],
                const uint8_t K[static 32], const uint8_t x[static 32], const uint8_t X[static 32],
                const uint8_t sel[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES],
                uint8_t r_out[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES][32], urna_err *e);

#endif
