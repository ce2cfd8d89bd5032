/* batch.h: batch verification (PROTOCOL.md s.9). Verifiers add linear
 * equations sum s_k P_k = 0, each under an item id (a ballot); batch_verify
 * weights every equation with a fresh random 128-bit scalar, merges the
 * coefficients of G and K, and evaluates one multi-scalar multiplication
 * (Pippenger, libdecaf variable-time additions). On failure it bisects and
 * names the failing items. Variable time: public data only. */
#ifndef URNA_BATCH_H
#define URNA_BATCH_H
#include <stddef.h>
#include <stdint.h>
#include "group.h"

typedef struct urna_batch urna_batch;

/* New empty batch for equations in which K (the election key, may be NULL
 * when no equation uses it) is a shared point. NULL on allocation failure
 * or when K is not a valid non-identity encoding. Free with batch_free. */
urna_batch *batch_new(const uint8_t K[static 32]);
void batch_free(urna_batch *b);
void batch_clear(urna_batch *b); /* forget all equations, keep K */
size_t batch_items(const urna_batch *b);

/* Used by proof.c: begin an equation of item, then add terms. Scalars are
 * reduced mod l; points are decoded once per item (a point repeated within
 * an item is decoded once); batch_eq_point returns -1 on a bad encoding and
 * the item is then marked failed. A term outside any equation of the
 * current item fails the item. Equations of one item should be added
 * together: an item id reappearing later forms a second group, and the
 * item is reported if either fails. */
void batch_eq_begin(urna_batch *b, uint64_t item);
void batch_eq_G(urna_batch *b, const uint8_t s[static 32]);   /* + s G */
void batch_eq_K(urna_batch *b, const uint8_t s[static 32]);   /* + s K */
int batch_eq_point(urna_batch *b, const uint8_t s[static 32], const uint8_t P[static 32]) URNA_WUR;
void batch_fail(urna_batch *b, uint64_t item); /* item already known bad */

/* The points the current item decoded, for a caller that needs them too
 * (the verifier's tally sums): the index of enc's point when item is the
 * current item (the last one added) and enc one of its points, else -1.
 * The index holds until batch_clear; batch_point_get gives its point,
 * valid until the next addition (read it once every item is added). */
long batch_point_find(const urna_batch *b, uint64_t item, const uint8_t enc[static 32]);
const vt_point *batch_point_get(const urna_batch *b, uint32_t idx);

/* Benchmarks: with on, the point decodes are timed; reports (when
 * decode_ns is not NULL) their time and number since the last call, then
 * starts again from 0. */
void batch_timing(urna_batch *b, int on, uint64_t *decode_ns, uint64_t *ndecode);

/* Verifies everything added. Returns 0 when every item holds. Otherwise -1,
 * with the ids of failing items (ascending, each once) written to bad (up to
 * bad_cap) and their total count to *nbad. -1 with *nbad = 0 means the batch
 * could not be checked at all (out of memory): nothing is known valid. An
 * item whose equations could not be stored (out of memory while adding) is
 * reported as failing. Safe to call from several threads on different
 * batches at once. */
int batch_verify(urna_batch *b, uint64_t *bad, size_t bad_cap, size_t *nbad) URNA_WUR;

/* Multi-scalar multiplication: out = sum s_i P_i (variable time; Straus
 * with width-5 NAF for small n, Pippenger's buckets with signed digits and
 * a window chosen from n and the scalars' lengths otherwise). Scalars are
 * 32 bytes little-endian < 2^253. Exposed for benchmarks and tests. */
void msm(vt_point *out, const uint8_t (*s)[32], const vt_point *const *P, size_t n);

#endif
