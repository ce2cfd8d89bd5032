/* proof.h: exponential ElGamal and the protocol's zero-knowledge proofs
 * (PROTOCOL.md s.4, s.6, s.8, docs/protocol.md s.11). Every Fiat-Shamir
 * challenge is protocol version 2's: it hashes the whole statement (the
 * generator, the key or h_R, h_R and h_E, the credential or X_j, the
 * statement's points and every commitment) under a tag ending in "/2".
 * Provers run in constant time on secrets; single verifiers use
 * variable-time arithmetic; the ballot verifiers have batch forms that add
 * their equations to a urna_batch. */
#ifndef URNA_PROOF_H
#define URNA_PROOF_H
#include <stdint.h>
#include "group.h"

struct urna_batch;

#define URNA_MAX_CHOICES 16
#define URNA_MAX_QUESTIONS 16
#define URNA_MAX_RANGE (URNA_MAX_CHOICES + 1) /* branches in one range proof */
#define URNA_SUM_CHOICE 0xffffffffu
#define URNA_MAX_PACKED 3 /* values of a packed question: blank, choice 1, choice 2 (s.6) */

typedef struct { uint8_t alpha[32], beta[32]; } urna_ct;
typedef struct { uint8_t A[32], B[32], c[32], z[32]; } urna_branch;
/* A disjunctive proof: branch i for value lo + i of a range lo..hi; for a
 * packed question (one of a list of values) lo = 0, hi = n - 1, branch i
 * for the list's value i. */
typedef struct { uint32_t lo, hi; urna_branch br[URNA_MAX_RANGE]; } urna_range;
typedef struct { uint8_t A[32], z[32]; } urna_schnorr; /* signatures and PoKs */
typedef struct { uint8_t U[32], V[32], z[32]; } urna_cp;  /* Chaum-Pedersen */

/* What every proof of one ballot is bound to (docs/protocol.md s.6, s.11):
 * the referendum h_R, the region h_E, the election key K (which is also the
 * key the ciphertexts are under: the proofs' equations use this K) and the
 * credential X. Every range challenge hashes G and all four, then the
 * question and choice indices (URNA_SUM_CHOICE for the sum), lo..hi, the
 * ciphertext and every commitment; the signature's challenge hashes G, all
 * four, the message and its commitment. */
typedef struct {
	uint8_t h_R[32];
	uint8_t h_E[32];
	uint8_t K[32];
	uint8_t X[32];
} urna_bind;

/* ElGamal: ct = (rG, rK + vG) with fresh r written to r_out. */
int elgamal_encrypt(urna_ct *ct, uint8_t r_out[static 32], const uint8_t K[static 32], uint32_t v) URNA_WUR;
/* The same with r given (v in 0..1 is the secret; a larger v's size is
 * not kept secret). */
int elgamal_encrypt_with(urna_ct *ct, const uint8_t r[static 32], const uint8_t K[static 32], uint32_t v) URNA_WUR;
/* Component-wise sum a + b (public data). */
int ct_add(urna_ct *out, const urna_ct *a, const urna_ct *b) URNA_WUR;

/* Range proof that ct encrypts v in lo..hi (hi - lo < URNA_MAX_RANGE) under
 * b->K, knowing r, for question and choice of the ballot bound by b.
 * Returns 0, or -1 on bad arguments (pf zeroed). */
int range_prove(urna_range *pf, const urna_bind *b, uint32_t question, uint32_t choice,
                const urna_ct *ct, const uint8_t r[static 32], uint32_t v, uint32_t lo,
                uint32_t hi) URNA_WUR;
/* The same with the prover's 2n random scalars given (n = hi - lo + 1):
 * rnd[0..n) are t_0..t_(n-1), rnd[n..2n) c_0..c_(n-1) (s.6), or NULL to
 * draw them. Known-answer tests only: a proof made twice from the same rnd
 * reveals r. */
int range_prove_with(urna_range *pf, const urna_bind *b, uint32_t question, uint32_t choice, const urna_ct *ct,
                     const uint8_t r[static 32], uint32_t v, uint32_t lo, uint32_t hi,
                     const uint8_t (*rnd)[32]) URNA_WUR;
/* Checks pf (whose lo/hi must equal lo/hi) one at a time: 0 valid, -1 not. */
int range_verify(const urna_range *pf, const urna_bind *b, uint32_t question, uint32_t choice,
                 const urna_ct *ct, uint32_t lo, uint32_t hi) URNA_WUR;
/* Checks what needs no group arithmetic (encodings, sum of challenges) and
 * adds the proof's equations to batch under item. -1 if already invalid. */
int range_batch_add(struct urna_batch *bt, uint64_t item, const urna_range *pf,
                    const urna_bind *b, uint32_t question, uint32_t choice,
                    const urna_ct *ct, uint32_t lo, uint32_t hi) URNA_WUR;

/* As range_batch_add for the sum of the m ciphertexts cts[0..m) (question's
 * sum proof, choice URNA_SUM_CHOICE): the sum is formed from the points
 * already decoded for this item, so it costs two encodings and no decoding
 * when the choices were added first. -1 if already invalid. */
int range_batch_add_sum(struct urna_batch *bt, uint64_t item, const urna_range *pf,
                        const urna_bind *b, uint32_t question, const urna_ct *cts, size_t m,
                        uint32_t lo, uint32_t hi) URNA_WUR;

/* A packed question (docs/protocol.md s.6): one ciphertext of v, one of the
 * allowed values vals[0..n) (strictly ascending, 1 <= n <= URNA_MAX_PACKED:
 * 0 for blank when allowed, 1 for choice 1, M for choice 2), and one
 * disjunctive proof over vals in that order, its challenge packed/2 (s.11.1).
 * The index idx of the true value is the secret: encryption and proof
 * select by it without a branch or a memory index depending on it.
 *
 * packed_encrypt: ct = (rG, rK + vals[idx] G) for the given r.
 * packed_prove: the proof knowing r (rnd: its 2n random scalars t_0..t_(n-1),
 *   c_0..c_(n-1), or NULL to draw them; as range_prove_with). pf gets lo =
 *   0, hi = n - 1.
 * packed_verify, packed_batch_add: as range_verify and range_batch_add for
 *   the list vals (pf must have n branches).
 * Each returns 0, or -1 on bad arguments (vals not as above, idx >= n; the
 * outputs zeroed) or, verifying, when the proof fails. */
int packed_encrypt(urna_ct *ct, const uint8_t r[static 32], const uint8_t K[static 32], const uint64_t *vals,
                   uint32_t n, uint32_t idx) URNA_WUR;
int packed_prove(urna_range *pf, const urna_bind *b, uint32_t question, const urna_ct *ct,
                 const uint8_t r[static 32], const uint64_t *vals, uint32_t n, uint32_t idx,
                 const uint8_t (*rnd)[32]) URNA_WUR;
int packed_verify(const urna_range *pf, const urna_bind *b, uint32_t question, const urna_ct *ct,
                  const uint64_t *vals, uint32_t n) URNA_WUR;
int packed_batch_add(struct urna_batch *bt, uint64_t item, const urna_range *pf, const urna_bind *b,
                     uint32_t question, const urna_ct *ct, const uint64_t *vals, uint32_t n) URNA_WUR;

/* Credential key pair from the normalised credential string (s.12). */
int credential_keys(uint8_t x[static 32], uint8_t X[static 32], const char *referendum,
                    const char *region, const char *normalised) URNA_WUR;

/* Ballot signature over msg (hash32 of the unsigned ballot) with key x,
 * b->X = xG, bound to everything in b. */
int sig_sign(urna_schnorr *sig, const urna_bind *b, const uint8_t msg[static 32],
             const uint8_t x[static 32]) URNA_WUR;
/* The same with its random w given (known-answer tests only). */
int sig_sign_with(urna_schnorr *sig, const urna_bind *b, const uint8_t msg[static 32], const uint8_t x[static 32],
                  const uint8_t w[static 32]) URNA_WUR;
int sig_verify(const urna_schnorr *sig, const urna_bind *b, const uint8_t msg[static 32]) URNA_WUR;
int sig_batch_add(struct urna_batch *bt, uint64_t item, const urna_schnorr *sig,
                  const urna_bind *b, const uint8_t msg[static 32]) URNA_WUR;

/* Trustee i's proof of knowledge of a with C[0] = aG, bound to h_R, i, all
 * of its commitments C[0..ncommit) (1 <= ncommit <= URNA_MAX_COMMIT) and its
 * X25519 box key: none of them can be swapped under the proof. -1 on bad
 * arguments (pf zeroed) or, verifying, when the proof fails. */
#define URNA_MAX_COMMIT 32 /* at least URNA_MAX_TRUSTEES (threshold.h) */
int pok_prove(urna_schnorr *pf, const uint8_t h_R[static 32], uint32_t i, const uint8_t (*C)[32],
              uint32_t ncommit, const uint8_t box_key[static 32], const uint8_t a[static 32]) URNA_WUR;
int pok_verify(const urna_schnorr *pf, const uint8_t h_R[static 32], uint32_t i,
               const uint8_t (*C)[32], uint32_t ncommit, const uint8_t box_key[static 32]) URNA_WUR;

/* What a partial decryption proof is bound to (s.8, s.11): the referendum
 * h_R, the region h_E, the election key K, trustee j and its verification
 * key X_j = x_j G. */
typedef struct {
	uint8_t h_R[32];
	uint8_t h_E[32];
	uint8_t K[32];
	uint32_t j;
	uint8_t X_j[32];
} urna_dec_bind;

/* Partial decryption D = x ct->alpha with proof log_G X_j = log_alpha D,
 * the challenge over b, the whole ciphertext ct and D. */
int cp_decrypt(uint8_t D[static 32], urna_cp *pf, const urna_dec_bind *b, const urna_ct *ct,
               const uint8_t x[static 32]) URNA_WUR;
int cp_verify(const urna_cp *pf, const urna_dec_bind *b, const urna_ct *ct,
              const uint8_t D[static 32]) URNA_WUR;

/* The challenges themselves (docs/protocol.md s.11.1, version 2), as the
 * provers and verifiers above compute them; exposed for the known-answer
 * tests (tests/vectors/crypto.json). c = Hs(...) of:
 *   range_challenge: "range/2", G, K, h_R, h_E, X, u32 question, u32 choice,
 *     u32 lo, u32 hi, alpha, beta, A_lo, B_lo, ..., A_hi, B_hi (br[0..hi-lo]);
 *   packed_challenge: "packed/2", G, K, h_R, h_E, X, u32 question, u32 n,
 *     u64 vals[0], ..., u64 vals[n-1], alpha, beta, A_0, B_0, ..., A_(n-1), B_(n-1);
 *   sig_challenge: "signature/2", G, K, h_R, h_E, X, msg, A;
 *   pok_challenge: "pok/2", G, h_R, u32 i, u32 ncommit, C_0..C_(ncommit-1),
 *     box_key, A;
 *   cp_challenge: "decrypt/2", G, K, h_R, h_E, u32 j, X_j, alpha, beta, D, U, V. */
void range_challenge(uint8_t c[static 32], const urna_bind *b, uint32_t question, uint32_t choice,
                     const urna_ct *ct, const urna_branch *br, uint32_t lo, uint32_t hi);
void packed_challenge(uint8_t c[static 32], const urna_bind *b, uint32_t question, const urna_ct *ct,
                      const urna_branch *br, const uint64_t *vals, uint32_t n);
void sig_challenge(uint8_t c[static 32], const urna_bind *b, const uint8_t msg[static 32],
                   const uint8_t A[static 32]);
void pok_challenge(uint8_t c[static 32], const uint8_t h_R[static 32], uint32_t i, const uint8_t (*C)[32],
                   uint32_t ncommit, const uint8_t box_key[static 32], const uint8_t A[static 32]);
void cp_challenge(uint8_t c[static 32], const urna_dec_bind *b, const urna_ct *ct, const uint8_t D[static 32],
                  const uint8_t U[static 32], const uint8_t V[static 32]);

#endif
