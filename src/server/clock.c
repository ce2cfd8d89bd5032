/* clock.c: the real and the test clock (clock.h). */
#include <time.h>
#include "server/clock.h"

static int64_t real_now(struct clock *c)
{
	struct timespec ts;
	(void)c;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

static int real_set(struct clock *c, int64_t t)
{
	(void)c;
	(void)t;
	return -1;
}

static int64_t test_now(struct clock *c)
{
	return __atomic_load_n(&c->t, __ATOMIC_SEQ_CST);
}

static int test_set(struct clock *c, int64_t t)
{
	__atomic_store_n(&c->t, t, __ATOMIC_SEQ_CST);
	return 0;
}

struct clock clock_real(void)
{
	return (struct clock){.now = real_now, .set = real_set};
}

struct clock clock_test(int64_t t)
{
	return (struct clock){.now = test_now, .set = test_set, .t = t};
}
