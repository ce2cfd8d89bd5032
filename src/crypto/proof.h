/* proof.h: exponential ElGamal and the protocol's zero-knowledge proofs
 * (PROTOCOL.md s.4, s.6, s.8, docs/protocol.md s.11). Provers run in constant
 * time on secrets; single verifiers use variable-time arithmetic; every
 * verifier has a batch form that adds its equations to a urna_batch. */
#ifndef URNA_PROOF_H
#define URNA_PROOF_H
#include <stdint.h>
#include "group.h"

struct urna_batch;

#define URNA_MAX_CHOICES 16
#define URNA_MAX_QUESTIONS 16
#define URNA_MAX_RANGE (URNA_MAX_CHOICES + 1) /* branches in one range proof */
#define URNA_SUM_CHOICE 0xffffffffu

typedef struct { uint8_t alpha[32], beta[32]; } urna_ct;
typedef struct { uint8_t A[32], B[32], c[32], z[32]; } urna_branch;
typedef struct { uint32_t lo, hi; urna_branch br[URNA_MAX_RANGE]; } urna_range;
typedef struct { uint8_t A[32], z[32]; } urna_schnorr; /* signatures and PoKs */
typedef struct { uint8_t U[32], V[32], z[32]; } urna_cp;  /* Chaum-Pedersen */

/* What every ballot proof is bound to: region hash h_E, credential X,
 * question index and choice index (URNA_SUM_CHOICE for the sum). */
typedef struct {
	uint8_t h_E[32];
	uint8_t X[32];
	uint32_t question;
	uint32_t choice;
} urna_bind;

/* ElGamal: ct = (rG, rK + vG) with fresh r written to r_out. */
int elgamal_encrypt(urna_ct *ct, uint8_t r_out[static 32], const uint8_t K[static 32], uint32_t v) URNA_WUR;
/* Component-wise sum a + b (public data). */
int ct_add(urna_ct *out, const urna_ct *a, const urna_ct *b) URNA_WUR;

/* Range proof that ct encrypts v in lo..hi (hi - lo < URNA_MAX_RANGE) under
 * K, knowing r. Returns 0, or -1 on bad arguments (pf zeroed). */
int range_prove(urna_range *pf, const urna_bind *b, const uint8_t K[static 32],
                const urna_ct *ct, const uint8_t r[static 32], uint32_t v,
                uint32_t lo, uint32_t hi) URNA_WUR;
/* Checks pf (whose lo/hi must equal lo/hi) one at a time: 0 valid, -1 not. */
int range_verify(const urna_range *pf, const urna_bind *b, const uint8_t K[static 32],
                 const urna_ct *ct, uint32_t lo, uint32_t hi) URNA_WUR;
/* Checks what needs no group arithmetic (encodings, sum of challenges) and
 * adds the proof's equations to batch under item. -1 if already invalid. */
int range_batch_add(struct urna_batch *bt, uint64_t item, const urna_range *pf,
                    const urna_bind *b, const uint8_t K[static 32],
                    const urna_ct *ct, uint32_t lo, uint32_t hi) URNA_WUR;

/* As range_batch_add for the sum of the m ciphertexts cts[0..m) (a
 * question's sum proof, choice URNA_SUM_CHOICE in b): the sum is formed from
 * the points already decoded for this item, so it costs two encodings and no
 * decoding when the choices were added first. -1 if already invalid. */
int range_batch_add_sum(struct urna_batch *bt, uint64_t item, const urna_range *pf,
                        const urna_bind *b, const uint8_t K[static 32],
                        const urna_ct *cts, size_t m, uint32_t lo, uint32_t hi) URNA_WUR;

/* Credential key pair from the normalised credential string (s.12). */
int credential_keys(uint8_t x[static 32], uint8_t X[static 32], const char *referendum,
                    const char *region, const char *normalised) URNA_WUR;

/* Ballot signature over msg (hash32 of the unsigned ballot), key x with X = xG. */
int sig_sign(urna_schnorr *sig, const uint8_t h_E[static 32], const uint8_t X[static 32],
             const uint8_t msg[static 32], const uint8_t x[static 32]) URNA_WUR;
int sig_verify(const urna_schnorr *sig, const uint8_t h_E[static 32], const uint8_t X[static 32],
               const uint8_t msg[static 32]) URNA_WUR;
int sig_batch_add(struct urna_batch *bt, uint64_t item, const urna_schnorr *sig,
                  const uint8_t h_E[static 32], const uint8_t X[static 32],
                  const uint8_t msg[static 32]) URNA_WUR;

/* Trustee proof of knowledge of a with C = aG, bound to h_R and index i. */
int pok_prove(urna_schnorr *pf, const uint8_t h_R[static 32], uint32_t i,
              const uint8_t C[static 32], const uint8_t a[static 32]) URNA_WUR;
int pok_verify(const urna_schnorr *pf, const uint8_t h_R[static 32], uint32_t i,
               const uint8_t C[static 32]) URNA_WUR;

/* Partial decryption D = x A with proof log_G X = log_A D, trustee j. */
int cp_decrypt(uint8_t D[static 32], urna_cp *pf, const uint8_t h_E[static 32], uint32_t j,
               const uint8_t A[static 32], const uint8_t x[static 32]) URNA_WUR;
int cp_verify(const urna_cp *pf, const uint8_t h_E[static 32], uint32_t j,
              const uint8_t A[static 32], const uint8_t D[static 32],
              const uint8_t X[static 32]) URNA_WUR;

#endif
