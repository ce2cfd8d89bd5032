/* group_int.h: what the files of src/crypto share among themselves and
 * nobody else (the libdecaf point behind vt_point, fixed tables). Not a
 * contract: include only from the .c files of src/crypto and the crypto unit tests. */
#ifndef URNA_GROUP_INT_H
#define URNA_GROUP_INT_H
#include <decaf.h>
#include <stdint.h>
#include "group.h"

struct vt_point {
	decaf_255_point_t p;
};

/* vG for v = 0..URNA_SMALL_BASE (filled by crypto_setup). */
#define URNA_SMALL_BASE 64
extern uint8_t urna_small_base[URNA_SMALL_BASE + 1][32];

/* vG for secret v without a secret-dependent branch or index (v <= 64 by
 * constant-time selection; larger v by multiplication). */
int point_small_base_ct(uint8_t r[static 32], uint32_t v);

/* n uniform scalars mod l from one call to the system's random source
 * (n <= URNA_RANDOM_MAX): a 64-byte draw reduced mod l for each. */
#define URNA_RANDOM_MAX 40
void scalars_random(uint8_t (*s)[32], size_t n);

/* Constant-time: r = mask ? a : r (mask is 0 or 0xff). */
void scalar_cmov(uint8_t r[static 32], const uint8_t a[static 32], uint8_t mask);

#endif
