/* dlog2.h: the two counts of a packed question from its decrypted sum
 * (docs/protocol.md s.8). A region's packed question sums to
 *   s = c1 + c2 M,  c1, c2 >= 0,  c1 + c2 = n - b,
 * where n is the number of counted ballots, M the region's packing base (a
 * power of two above its electorate, so n < M and s fixes c1 and c2), and
 * b the blank ballots (0 when the question takes no blank vote). Given S =
 * sG this finds (c1, c2): a baby-step giant-step search over (b, c2) in
 * order of growing b. With a blank vote it takes E baby steps (E = n/2,
 * at most 2^21) and at worst about n^2/(4E) giant ones, so O(n) for n up
 * to 2^22 (2^21 + 2^21 at n = 2^22, 2^21 + 1.2 10^7 at n = 10^7), and a
 * region whose blank votes are few is counted in few of them (the giant
 * steps up to b are about b n / (2E)); without, about 2 sqrt(n/2) steps
 * in all (one value of b).
 *
 * Public data only: variable time. The search walks Edwards25519 points of
 * the prime-order subgroup (libdecaf's EdDSA encoding of 4P, libsodium's
 * Ed25519 multiples of the base) in extended coordinates with its own
 * field arithmetic mod 2^255 - 19, so that many points share one field
 * inversion; that arithmetic only guides the search: every answer is
 * confirmed with libsodium (s G compared with S) before it is returned, so
 * a fault in it can make a search fail, never give a wrong count. */
#ifndef URNA_DLOG2_H
#define URNA_DLOG2_H
#include <stdint.h>
#include "group.h"

#define URNA_DLOG2_MAX_BABY (1u << 21) /* 2^21 baby steps: 48 MiB while the table is built, 32 MiB kept */

typedef struct urna_dlog2 urna_dlog2;

/* The baby steps for sums of at most n counted ballots under base M (2 <=
 * M, n < M, n * M < 2^64), sized for questions that take a blank vote when
 * blank is non-zero (else for those without), built on threads (1 or 2)
 * threads, which the searches use too. NULL on bad arguments or out of
 * memory. */
urna_dlog2 *dlog2_new(uint64_t n, uint64_t M, int blank, int threads);
void dlog2_free(urna_dlog2 *d);

/* Finds c1, c2 (and so b = n - c1 - c2) with S = (c1 + c2 M) G, c1 + c2 <= n,
 * and c1 + c2 = n unless blank (a question whose blank vote is allowed;
 * any d finds them, one made with blank the fastest). 0, or -1 when no
 * such counts exist (or S is no point); *c1 = *c2 = 0 then. Safe to call
 * from several threads on one d. */
int dlog2_find(const urna_dlog2 *d, uint64_t *c1, uint64_t *c2, const uint8_t S[static 32], int blank) URNA_WUR;

#endif
