/* threshold.h: trustee keys (PROTOCOL.md s.4): t = n simple keys and the
 * t < n Pedersen DKG with sealed shares, Lagrange combination, and the
 * discrete logarithm of a count by baby-step giant-step (s.8). */
#ifndef URNA_THRESHOLD_H
#define URNA_THRESHOLD_H
#include <stddef.h>
#include <stdint.h>
#include "group.h"

#define URNA_MAX_TRUSTEES 32
#define URNA_BOX_PK 32
#define URNA_BOX_SK 32
#define URNA_BOX_NONCE 24
#define URNA_SEALED_SHARE (32 + 16) /* crypto_box_easy of one scalar */

/* Polynomial f(x) = a_0 + ... + a_(t-1) x^(t-1) with random coefficients. */
typedef struct { uint32_t t; uint8_t a[URNA_MAX_TRUSTEES][32]; } urna_poly;
void poly_random(urna_poly *f, uint32_t t);
void poly_wipe(urna_poly *f); /* sodium_memzero */
/* C_k = a_k G for k < t. */
int poly_commit(uint8_t C[][32], const urna_poly *f) URNA_WUR;
/* share = f(j), j >= 1. */
void poly_eval(uint8_t share[static 32], const urna_poly *f, uint32_t j);

/* 0 iff share G = sum_k j^k C_k (the check a receiving trustee makes). */
int share_check(const uint8_t share[static 32], uint32_t j, const uint8_t C[][32], uint32_t t) URNA_WUR;
/* Sum over qualified dealers i of sum_k j^k C_ik: trustee j's verification
 * key. C is indexed [dealer][k], dealers 1..n stored at C[i-1]. */
int verification_key(uint8_t X[static 32], uint32_t j, const uint8_t (*C)[URNA_MAX_TRUSTEES][32],
                     const int *qualified, uint32_t n, uint32_t t) URNA_WUR;

/* X25519 box keys for sealing shares. */
void box_keypair(uint8_t pk[static 32], uint8_t sk[static 32]);
int share_seal(uint8_t box[static URNA_SEALED_SHARE], uint8_t nonce[static 24],
               const uint8_t share[static 32], const uint8_t to_pk[static 32],
               const uint8_t from_sk[static 32]) URNA_WUR;
int share_open(uint8_t share[static 32], const uint8_t box[static URNA_SEALED_SHARE],
               const uint8_t nonce[static 24], const uint8_t from_pk[static 32],
               const uint8_t to_sk[static 32]) URNA_WUR;
/* Complaint support: the pair's beforenm key, and opening with it. */
int share_shared_key(uint8_t k[static 32], const uint8_t other_pk[static 32], const uint8_t my_sk[static 32]) URNA_WUR;
int share_open_with_key(uint8_t share[static 32], const uint8_t box[static URNA_SEALED_SHARE],
                        const uint8_t nonce[static 24], const uint8_t k[static 32]) URNA_WUR;

/* Lagrange coefficient at 0 of index idx[which] among the k indices idx. */
int lagrange_at0(uint8_t lambda[static 32], const uint32_t *idx, size_t k, size_t which) URNA_WUR;
/* D = sum lambda_j D_j over k partial decryptions of trustees idx (t < n:
 * shares of one polynomial). */
int combine_shares(uint8_t D[static 32], const uint8_t (*Dj)[32], const uint32_t *idx, size_t k) URNA_WUR;
/* D = sum D_j over the k partial decryptions of every trustee (t = n: the
 * key is the sum of the trustees' keys, no polynomial). */
int combine_sum(uint8_t D[static 32], const uint8_t (*Dj)[32], size_t k) URNA_WUR;

/* Finds count in 0..max with M = count G (baby-step giant-step). The table
 * is built once per max and reused: dlog_new(max) then dlog_find. */
typedef struct urna_dlog urna_dlog;
urna_dlog *dlog_new(uint64_t max);
void dlog_free(urna_dlog *d);
int dlog_find(const urna_dlog *d, uint64_t *count, const uint8_t M[static 32]) URNA_WUR;

#endif
