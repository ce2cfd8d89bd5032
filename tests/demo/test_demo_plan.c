/* test_demo_plan.c: the demo's scenario arithmetic (src/demo/plan.c): each
 * planned region reaches its intended one-decimal percentages exactly, far
 * from a rounding boundary. Linked with plan.o alone. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include "demo/plan.h"

static void test_plan(void **state)
{
	(void)state;
	const uint32_t targets[] = {721, 662, 557, 639, 682, 584, 713, 806, 476, 529};
	for (uint32_t n = 100; n <= 6000; n += 7)
		for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
			demo_plan p;
			assert_int_equal(demo_plan_region(&p, n, targets[i], 700), 0);
			assert_int_equal(p.yes + p.no + p.blank + p.abstain, n);
			assert_int_equal(pct_tenths(p.yes, p.yes + p.no), targets[i]);
			assert_int_equal(pct_tenths(p.no, p.yes + p.no), 1000 - targets[i]);
			/* far from a rounding boundary: half-even agrees */
			uint64_t num = 10000 * (uint64_t)p.yes, den = p.yes + p.no;
			assert_true(num / den != 10 * targets[i] + 5 && num / den != 10 * targets[i] - 5);
			assert_true(p.revoters >= 1 && p.changed <= p.revoters && p.changed <= p.yes + p.no);
		}
	demo_plan p;
	assert_int_equal(demo_plan_region(&p, 10, 721, 700), -1);
	assert_int_equal(pct_tenths(721, 1000), 721);
	assert_int_equal(pct_tenths(1, 3), 333);
	assert_int_equal(pct_tenths(2, 3), 667);
	assert_int_equal(pct_tenths(0, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_plan)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
