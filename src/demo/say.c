/* say.c: how the demo speaks (say.h). */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include "demo/say.h"

int demo_tty;
static double t0;
static int mismatches;

double demo_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void demo_clock_start(void)
{
	t0 = demo_now();
	mismatches = 0;
}

void demo_step(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf(demo_tty ? "\033[1m==> [%5.1fs] " : "==> [%5.1fs] ", demo_now() - t0);
	vprintf(fmt, ap);
	printf(demo_tty ? "\033[0m\n" : "\n");
	va_end(ap);
	fflush(stdout);
}

void demo_expect(int ok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf(ok ? "    ok: " : "    MISMATCH: ");
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	if (!ok)
		mismatches++;
}

int demo_mismatches(void)
{
	return mismatches;
}
