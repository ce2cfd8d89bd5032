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

#endif
