/* ballot.h: the ballot (docs/protocol.md s.6, s.14): strict parsing into the
 * crypto structs of crypto/proof.h, verification (single or into a batch),
 * and building a ballot from a credential, signed or (a Benaloh audit's)
 * unsigned. A question with max = 1 and at most two choices is packed: one
 * ciphertext and one proof over its allowed values; every other has one
 * ciphertext per choice and a sum proof. */
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
	uint32_t nq, m[URNA_MAX_QUESTIONS];       /* m[q]: answer q's ciphertexts (1 when packed) */
	uint8_t packed[URNA_MAX_QUESTIONS];       /* answer q is one ciphertext (s.6, s.14) */
	urna_ct ct[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES];
	urna_range pf[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES]; /* a choice's: lo = 0, hi = 1; a packed answer's
	                                                      * (pf[q][0]): lo = 0, hi = its branches - 1 */
	urna_range sum[URNA_MAX_QUESTIONS];                   /* lo..hi as read; none when packed */
	int has_sig;          /* 1 after ballot_parse, 0 after ballot_parse_unsigned */
	urna_schnorr sig;
	uint8_t tracker[32];  /* hash32 of the unsigned ballot's bytes: what the signature signs (s.14) */
	uint8_t h_R[32];      /* the referendum its proofs are checked under: the manifest's (ballot_shape_ok) */
	uint64_t vals[URNA_MAX_QUESTIONS][URNA_MAX_PACKED]; /* a packed answer's allowed values (ballot_shape_ok) */
	uint32_t nvals[URNA_MAX_QUESTIONS];
} ballot;

ballot *ballot_new(void); /* NULL on allocation failure; free() it */
/* This thread's scratch ballot (allocated once, freed at thread exit; NULL
 * on allocation failure). Not reentrant within a thread. */
ballot *ballot_scratch(void);

/* Parses bytes[0..len) of a signed ballot: at most URNA_BALLOT_MAX,
 * canonical (s.13), exactly the keys of s.14 with "signature" last, 1..16
 * answers, each either packed ({"alpha","beta","proof"}, 1..3 branches)
 * or of 1..16 choices (two branches each, 1..17 for the sum), base64url of
 * the right lengths, scalars below l. Points are NOT decoded here (the
 * batch or ballot_verify decodes each once). Fills b including the tracker
 * (hash32 of the bytes without the signature). Does not look at any
 * manifest (see ballot_shape_ok; h_R stays zero until it has run). 0, or
 * -1 with e set (too_large, malformed: also a ballot without signature,
 * not_canonical, bad_encoding). */
int ballot_parse(ballot *b, const char *bytes, size_t len, urna_err *e);
/* The same for an unsigned ballot (a Benaloh audit's, s.16): no
 * "signature" (one is malformed: an audited ballot must not be castable);
 * the tracker is hash32 of the bytes; has_sig is 0. */
int ballot_parse_unsigned(ballot *b, const char *bytes, size_t len, urna_err *e);

/* Checks b's answers against manifest m of a region of the given
 * electorate: as many as questions, each packed exactly when the question
 * is (manifest_packed) with one branch per allowed value, else with its
 * choices and max - min + 1 sum branches; and takes from m and the
 * electorate the rest of what b's proofs are checked under: each sum's
 * lo..hi (the question's min..max), each packed answer's allowed values
 * (packed_values under M = packed_base(electorate)) and the referendum's
 * hash m->h_R. 0, or -1 (malformed). */
int ballot_shape_ok(ballot *b, const manifest *m, uint64_t electorate, urna_err *e);

/* Adds every proof and the signature (when it has one) of b (shape already
 * checked) to bt under item, bound to b->h_R, h_E, K and b's credential
 * (s.11). -1 when already known bad (the item is then failed in bt). */
int ballot_batch_add(urna_batch *bt, uint64_t item, const ballot *b, const uint8_t h_E[static 32],
                     const uint8_t K[static 32]);

/* Checks b (shape already checked) alone, bound as ballot_batch_add (a
 * batch of one). 0, or -1 with e set: bad_encoding (a point does not
 * decode or X is the identity), bad_signature, bad_proof naming the first
 * proof that fails (answer, choice or sum) (told apart by single checks
 * after the batch of one fails). */
int ballot_verify(const ballot *b, const uint8_t h_E[static 32], const uint8_t K[static 32], urna_err *e);

/* Builds a canonical ballot for region (manifest m, h_E) of referendum
 * m->h_R of the given electorate (its packing base M) under election key
 * K, with credential X, selections sel[q][k] in {0,1} (each question's
 * count within min..max): signed with x = log_G X, or, when x is NULL,
 * unsigned (a Benaloh audit's, s.16). The tracker is hash32 of the
 * unsigned ballot either way (s.14). Returns 0 with *out (malloc'd,
 * NUL-terminated, length *len) and tracker, or -1 (e). Secrets are wiped,
 * except that when r_out is not NULL it receives each ciphertext's
 * randomness r_out[q][k] (a packed question's in r_out[q][0]; for a Benaloh
 * audit, which reveals it; the caller wipes it). Thread-safe. */
int ballot_make(char **out, size_t *len, uint8_t tracker[static 32], const char *referendum,
                const char *region, const manifest *m, uint64_t electorate, const uint8_t h_E[static 32],
                const uint8_t K[static 32], const uint8_t *x, const uint8_t X[static 32],
                const uint8_t sel[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES],
                uint8_t r_out[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES][32], urna_err *e);

/* ballot_make with every random scalar taken in order from draws[0..n)
 * instead of the system's source: for each question, packed: r, then its
 * proof's t_0..t_(k-1), c_0..c_(k-1) (k values); else for each choice r,
 * t_0, t_1, c_0, c_1, then the sum's t_0..t_(k-1), c_0..c_(k-1) (k = max -
 * min + 1); last the signature's w (when signed). -1 (malformed) when n is
 * not exactly that many. For the known-answer tests (tests/vectors) only:
 * two ballots from the same draws reveal the credential's key. */
int ballot_make_from(char **out, size_t *len, uint8_t tracker[static 32], const char *referendum,
                     const char *region, const manifest *m, uint64_t electorate, const uint8_t h_E[static 32],
                     const uint8_t K[static 32], const uint8_t *x, const uint8_t X[static 32],
                     const uint8_t sel[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES], const uint8_t (*draws)[32], size_t n,
                     urna_err *e);

#endif
