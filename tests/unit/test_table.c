/* test_table.c: the hash table of src/base (table.h): every key found at
 * its index across growth, absent keys not found, the all-zero key (the
 * identity's encoding, a dlog baby step) like any other, keys that share
 * their tag, reserve then add, clear, and the index ceiling. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/table.h"

#define N 5000

static void test_grow_and_find(void **state)
{
	(void)state;
	uint8_t (*keys)[32] = malloc(N * 32), absent[32];
	table t = {0};
	assert_non_null(keys);
	randombytes_buf(keys, N * 32);
	memset(keys[0], 0, 32); /* the all-zero key is a key */
	assert_int_equal(table_find(&t, (const uint8_t(*)[32])keys, keys[1]), -1); /* empty, never reserved */
	for (uint32_t i = 0; i < N; i++) {
		assert_int_equal(table_add(&t, keys[i], i), 0);
		assert_int_equal(table_find(&t, (const uint8_t(*)[32])keys, keys[i]), i);
	}
	assert_int_equal(t.n, N);
	assert_true(t.cap >= 2 * N && (t.cap & (t.cap - 1)) == 0);
	for (uint32_t i = 0; i < N; i++)
		assert_int_equal(table_find(&t, (const uint8_t(*)[32])keys, keys[i]), i);
	for (int k = 0; k < 100; k++) {
		randombytes_buf(absent, 32);
		assert_int_equal(table_find(&t, (const uint8_t(*)[32])keys, absent), -1);
	}
	table_free(&t);
	assert_null(t.slot);
	free(keys);
}

/* Keys equal in bytes 8..15 share their tag and their home slot: found by
 * the comparison of the whole key. */
static void test_same_tag(void **state)
{
	(void)state;
	uint8_t keys[64][32], other[32];
	table t = {0};
	for (int i = 0; i < 64; i++) {
		memset(keys[i], 0x5a, 32);
		keys[i][0] = (uint8_t)i;
		assert_int_equal(table_add(&t, keys[i], (uint32_t)i), 0);
	}
	for (int i = 0; i < 64; i++)
		assert_int_equal(table_find(&t, (const uint8_t(*)[32])keys, keys[i]), i);
	memset(other, 0x5a, 32);
	other[0] = 200;
	assert_int_equal(table_find(&t, (const uint8_t(*)[32])keys, other), -1);
	table_free(&t);
}

static void test_reserve_clear(void **state)
{
	(void)state;
	uint8_t keys[100][32];
	table t = {0};
	randombytes_buf(keys, sizeof keys);
	assert_int_equal(table_reserve(&t, 100), 0);
	table_slot *slot = t.slot;
	size_t cap = t.cap;
	for (uint32_t i = 0; i < 100; i++)
		assert_int_equal(table_add(&t, keys[i], i), 0);
	assert_ptr_equal(t.slot, slot); /* reserved: no growth */
	assert_int_equal(t.cap, cap);
	table_clear(&t);
	assert_int_equal(t.n, 0);
	assert_int_equal(t.cap, cap);
	assert_int_equal(table_find(&t, (const uint8_t(*)[32])keys, keys[7]), -1);
	assert_int_equal(table_add(&t, keys[7], 3), 0); /* indices are the caller's */
	assert_int_equal(table_find(&t, (const uint8_t(*)[32])keys + 4, keys[7]), 3);
	table_free(&t);
}

static void test_limits(void **state)
{
	(void)state;
	uint8_t k[32] = {1};
	table t = {0};
	assert_int_equal(table_reserve(&t, TABLE_MAX + 1), -1);
	assert_null(t.slot);
	assert_int_equal(table_add(&t, k, UINT32_MAX), -1); /* index + 1 must fit */
	assert_int_equal(t.n, 0);
	assert_int_equal(table_add(&t, k, TABLE_MAX), 0);
	table_free(&t);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_and_find),
		cmocka_unit_test(test_same_tag),
		cmocka_unit_test(test_reserve_clear),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
