/* table.h: the one hash table, on 32-byte keys that are already uniform
 * (hashes, point encodings). The caller keeps the keys in an array of its
 * own (credentials, trackers, encoded points) and the table holds their
 * indices: it finds index i with keys[i] equal to a key. Open addressing,
 * load at most a half, grown by doubling. Used by the election's
 * credentials and trackers, the dlog's baby steps and the batch's
 * per-ballot point dedup. */
#ifndef URNA_TABLE_H
#define URNA_TABLE_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint32_t tag; /* bits of the key's hash, compared before the key */
	uint32_t idx; /* index + 1; 0: empty */
} table_slot;

typedef struct {
	table_slot *slot; /* NULL until the first reserve */
	size_t cap, n;    /* cap a power of two */
} table;

#define TABLE_MAX ((size_t)UINT32_MAX - 1) /* entries, and the highest index */

/* Room for n entries in all, so that the next adds up to n cannot fail. 0,
 * or -1 (out of memory, or n above TABLE_MAX); t is unchanged then. */
int table_reserve(table *t, size_t n);
/* Enters index i, whose key is k (the caller's keys[i]), growing as needed.
 * k must not be in t already: nothing checks. 0, or -1 as table_reserve. */
int table_add(table *t, const uint8_t k[static 32], uint32_t i);
/* The index i with keys[i] equal to k, or -1. */
long table_find(const table *t, const uint8_t (*keys)[32], const uint8_t k[static 32]);
/* Empties t, keeping its memory. */
void table_clear(table *t);
void table_free(table *t);

#endif
