/* say.h: how the demo speaks: numbered steps with the time since the
 * start (bold on a terminal), and the checks of figures against the plan. */
#ifndef URNA_DEMO_SAY_H
#define URNA_DEMO_SAY_H

extern int demo_tty; /* stdout is a terminal: bold steps, a live progress bar */

/* Seconds on the monotonic clock. */
double demo_now(void);
/* Starts the demo's clock for the steps' times. */
void demo_clock_start(void);

/* "==> [  12.3s] " and the text. */
void demo_step(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "    ok: ..." or "    MISMATCH: ..."; counts the mismatches. */
void demo_expect(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int demo_mismatches(void);

#endif
