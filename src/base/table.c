/* table.c: the hash table of indices (table.h). */
#include <stdlib.h>
#include <string.h>
#include "base/table.h"

/* The keys are uniform, but a point encoding's first byte is always even:
 * bytes 8..15, mixed by a multiply, give the tag. */
static uint32_t tag_of(const uint8_t k[32])
{
	uint64_t h;
	memcpy(&h, k + 8, 8);
	return (uint32_t)((h * 0x9E3779B97F4A7C15ull) >> 32);
}

static void place(table_slot *slot, size_t cap, table_slot s)
{
	size_t i = s.tag & (cap - 1);
	while (slot[i].idx)
		i = (i + 1) & (cap - 1);
	slot[i] = s;
}

int table_reserve(table *t, size_t n)
{
	if (n > TABLE_MAX)
		return -1;
	size_t cap = t->cap ? t->cap : 16;
	while (cap < 2 * n)
		cap *= 2;
	if (cap == t->cap)
		return 0;
	table_slot *slot = calloc(cap, sizeof *slot);
	if (!slot)
		return -1;
	for (size_t i = 0; i < t->cap; i++)
		if (t->slot[i].idx)
			place(slot, cap, t->slot[i]);
	free(t->slot);
	t->slot = slot;
	t->cap = cap;
	return 0;
}

int table_add(table *t, const uint8_t k[static 32], uint32_t i)
{
	if (i > TABLE_MAX || table_reserve(t, t->n + 1))
		return -1;
	place(t->slot, t->cap, (table_slot){tag_of(k), i + 1});
	t->n++;
	return 0;
}

long table_find(const table *t, const uint8_t (*keys)[32], const uint8_t k[static 32])
{
	if (!t->n)
		return -1;
	uint32_t tag = tag_of(k);
	for (size_t i = tag & (t->cap - 1); t->slot[i].idx; i = (i + 1) & (t->cap - 1)) {
		const table_slot *s = &t->slot[i];
		if (s->tag == tag && !memcmp(keys[s->idx - 1], k, 32))
			return (long)(s->idx - 1);
	}
	return -1;
}

void table_clear(table *t)
{
	if (t->n)
		memset(t->slot, 0, t->cap * sizeof *t->slot);
	t->n = 0;
}

void table_free(table *t)
{
	free(t->slot);
	memset(t, 0, sizeof *t);
}
