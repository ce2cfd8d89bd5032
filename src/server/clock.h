/* clock.h: where the server reads the time. A real clock for deployments,
 * a test clock that only moves when told (urna serve --test-clock, POST
 * /api/clock), so lifecycle tests need not wait for real dates. */
#ifndef URNA_CLOCK_H
#define URNA_CLOCK_H
#include <stdint.h>

struct clock {
	/* Unix seconds now. Safe from any thread. */
	int64_t (*now)(struct clock *c);
	/* Sets the time; 0, or -1 for a clock that cannot be set (the real one). */
	int (*set)(struct clock *c, int64_t t);
	int64_t t; /* test clock state, atomic access only */
};

/* The system clock (CLOCK_REALTIME). */
struct clock clock_real(void);
/* A settable clock starting at t. */
struct clock clock_test(int64_t t);

#endif
