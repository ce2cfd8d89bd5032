/* test_buf.c: the growable buffer and array of src/base (buf.h): appends,
 * the ceiling (exactly at it, one past it, b unchanged), formatting,
 * taking the bytes, wiping, and array growth and its limits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"

static void test_add_and_ceiling(void **state)
{
	(void)state;
	buf b = BUF_INIT(10);
	assert_int_equal(buf_add(&b, "hello", 5), 0);
	assert_int_equal(buf_addc(&b, ' '), 0);
	assert_int_equal(buf_addf(&b, "%d", 123), 0);
	assert_int_equal(b.len, 9);
	assert_string_equal(b.p, "hello 123");
	assert_int_equal(buf_add(&b, "ab", 2), -1); /* 11 > 10 */
	assert_true(buf_full(&b, 2));
	assert_string_equal(b.p, "hello 123"); /* unchanged */
	assert_int_equal(buf_addc(&b, '!'), 0);  /* exactly 10 */
	assert_int_equal(buf_addf(&b, "x"), -1);
	size_t n;
	char *p = buf_take(&b, &n);
	assert_int_equal(n, 10);
	assert_string_equal(p, "hello 123!");
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	free(p);
	p = buf_take(&b, &n); /* empty: "" */
	assert_non_null(p);
	assert_int_equal(n, 0);
	assert_string_equal(p, "");
	free(p);
	buf_free(&b);
}

static void test_growth(void **state)
{
	(void)state;
	buf b = BUF_INIT(SIZE_MAX - 1);
	b.wipe = 1;
	char chunk[1000];
	memset(chunk, 'a', sizeof chunk);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_add(&b, chunk, sizeof chunk), 0);
	assert_int_equal(b.len, 1000000);
	assert_true(b.cap > b.len && b.p[b.len] == 0);
	for (size_t i = 0; i < b.len; i++)
		if (b.p[i] != 'a')
			fail_msg("byte %zu", i);
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.p, "");
	buf_free(&b);
	/* the first allocation is what is asked */
	buf c = BUF_INIT(1 << 20);
	assert_int_equal(buf_reserve(&c, 5000), 0);
	assert_int_equal(c.cap, 5001);
	assert_int_equal(buf_reserve(&c, 1 << 20), 0);
	assert_int_equal(c.cap, (1 << 20) + 1); /* never past the ceiling */
	assert_int_equal(buf_reserve(&c, (1 << 20) + 1), -1);
	buf_free(&c);
}

static void test_array(void **state)
{
	(void)state;
	int *a = NULL;
	size_t cap = 0;
	assert_int_equal(array_grow(&a, &cap, 1, sizeof *a, 100), 0);
	assert_int_equal(cap, 16);
	for (int i = 0; i < 16; i++)
		a[i] = i;
	assert_int_equal(array_grow(&a, &cap, 17, sizeof *a, 100), 0);
	assert_int_equal(cap, 32);
	assert_int_equal(a[15], 15);
	assert_int_equal(array_grow(&a, &cap, 70, sizeof *a, 100), 0);
	assert_int_equal(cap, 100); /* capped at max */
	assert_int_equal(array_grow(&a, &cap, 101, sizeof *a, 100), -1);
	assert_int_equal(cap, 100);
	assert_int_equal(array_grow(&a, &cap, 50, sizeof *a, 100), 0); /* no shrink */
	assert_int_equal(cap, 100);
	free(a);
	size_t c2 = 0;
	void *b = NULL;
	assert_int_equal(array_grow(&b, &c2, SIZE_MAX / 2, 4, SIZE_MAX), -1); /* size overflow */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_ceiling),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_array),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
