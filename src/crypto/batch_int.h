/* batch_int.h: the parts of the batch that proof.c uses beyond batch.h
 * (points decoded once per item and reused). Internal to src/crypto. */
#ifndef URNA_BATCH_INT_H
#define URNA_BATCH_INT_H
#include "crypto/batch.h"
#include "crypto/group_int.h"

/* Makes item the current item (as batch_eq_begin, without an equation). */
void batch_item(urna_batch *b, uint64_t item);
/* Decodes enc into the current item's points (once per item: a repeated
 * encoding returns the same index). Returns 0 and sets *idx, or -1 on a bad
 * encoding (the item is then marked failed). */
int batch_point(urna_batch *b, uint32_t *idx, const uint8_t enc[static 32]);
/* + s P_idx in the current equation. */
void batch_eq_idx(urna_batch *b, const uint8_t s[static 32], uint32_t idx);
/* The batch's K as bytes (NULL when it has none). */
const uint8_t *batch_K(const urna_batch *b);

#endif
