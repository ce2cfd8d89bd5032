/* tally_sum.h: the homomorphic sum of a region's counted ballots, choice
 * by choice (docs/protocol.md s.8: A = sum alpha, B = sum beta), on one or
 * two threads. election.c builds and checks tally entries with it. */
#ifndef URNA_TALLY_SUM_H
#define URNA_TALLY_SUM_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/proof.h"
#include "record/error.h"

/* sum[c] = the sum of ct[i * nct + c] over the ballots i < nb with
 * counted[i] set, for each c < nct. threads 2 splits the ballots in two
 * halves (from 1,000 ballots on); any other value uses one thread. 0, or
 * -1 with e: io (out of memory) or bad_encoding (a ciphertext does not
 * decode); sum is then undefined. */
int tally_sum(urna_ct *sum, const urna_ct *ct, const uint8_t *counted, size_t nb, uint32_t nct, int threads,
              urna_err *e);

/* Which ballots a sum holds: how many, and the sum of their line hashes
 * (4 lanes mod 2^64), so that a ballot summed twice, or left out, shows. */
typedef struct {
	uint64_t n, h[4];
} tally_tag;
void tally_tag_add(tally_tag *t, const uint8_t line_hash[static 32]);
int tally_tag_eq(const tally_tag *a, const tally_tag *b); /* 1 when the same */

/* A sum of ballots made by whoever already holds their points decoded
 * (the verifier's workers): p has 2 * nct points, the alpha sums then the
 * beta sums; tag says which ballots it holds. */
typedef struct {
	uint32_t nct;
	tally_tag tag;
	vt_point *p;
} tally_presum;

/* s = the empty sum of nct ciphertexts a ballot. 0, or -1 (out of memory;
 * s then holds nothing to free). tally_presum_free frees p and zeroes s. */
int tally_presum_init(tally_presum *s, uint32_t nct);
void tally_presum_free(tally_presum *s);
/* Adds the ballot of line hash line_hash, whose ciphertext c decodes to
 * the points ab[2c] (alpha) and ab[2c + 1] (beta), c < s->nct. */
void tally_presum_add(tally_presum *s, const vt_point *const *ab, const uint8_t line_hash[static 32]);
/* to += from (the same nct; else -1 and to unchanged). */
int tally_presum_merge(tally_presum *to, const tally_presum *from);

/* tally_sum with the ballots i for which pre[i] is set taken from s
 * instead of decoded: s + the counted ballots not in pre - the ballots in
 * pre no longer counted (re-votes), which alone are decoded. The caller
 * makes sure that s holds exactly the ballots in pre (s->tag against the
 * tag of those ballots) and s->nct == nct. 0 or -1 as tally_sum. */
int tally_sum_presum(urna_ct *sum, const tally_presum *s, const urna_ct *ct, const uint8_t *counted,
                     const uint8_t *pre, size_t nb, uint32_t nct, int threads, urna_err *e);

#endif
