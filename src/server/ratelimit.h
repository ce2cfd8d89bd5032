/* ratelimit.h: a token bucket per client address. Each address may make
 * `rate` requests a second on average and `burst` at once. The table has a
 * fixed size: when it is full the longest-idle address is forgotten (which
 * only ever gives that address a fresh bucket). Thread-safe. */
#ifndef URNA_RATELIMIT_H
#define URNA_RATELIMIT_H
#include <stddef.h>

struct ratelimit;

/* rate <= 0 disables limiting (ratelimit_allow always says yes). NULL on
 * allocation failure. */
struct ratelimit *ratelimit_new(double rate, double burst);
void ratelimit_free(struct ratelimit *rl);

/* Takes one token from addr's bucket (addr: len bytes identifying the
 * client, e.g. its IP address). Returns 1 if allowed, 0 if over the limit. */
int ratelimit_allow(struct ratelimit *rl, const void *addr, size_t len);

#endif
