/* ratelimit.c: token buckets per address in a striped, fixed-size table. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "server/ratelimit.h"

#define STRIPES 16
#define SLOTS 1024 /* per stripe */
#define PROBE 8
#define ADDR_MAX 16

struct bucket {
	uint8_t addr[ADDR_MAX];
	uint8_t len;     /* 0: free */
	double tokens;
	double last;     /* seconds, monotonic */
};

struct stripe {
	pthread_mutex_t lock;
	struct bucket b[SLOTS];
};

struct ratelimit {
	double rate, burst;
	struct stripe s[STRIPES];
};

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t fnv(const uint8_t *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

struct ratelimit *ratelimit_new(double rate, double burst)
{
	struct ratelimit *rl = calloc(1, sizeof *rl);

	if (!rl)
		return NULL;
	rl->rate = rate;
	rl->burst = burst < 1 ? 1 : burst;
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_init(&rl->s[i].lock, NULL);
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_destroy(&rl->s[i].lock);
	free(rl);
}

int ratelimit_allow(struct ratelimit *rl, const void *addr, size_t len)
{
	if (rl->rate <= 0)
		return 1;
	if (len > ADDR_MAX)
		len = ADDR_MAX;
	uint64_t h = fnv(addr, len);
	struct stripe *s = &rl->s[h % STRIPES];
	size_t base = (size_t)(h / STRIPES) % SLOTS;
	double now = mono();
	int ok;

	pthread_mutex_lock(&s->lock);
	struct bucket *hit = NULL, *victim = NULL;
	for (size_t i = 0; i < PROBE && !hit; i++) {
		struct bucket *b = &s->b[(base + i) % SLOTS];
		if (b->len == len && !memcmp(b->addr, addr, len))
			hit = b;
		else if (!victim || b->len == 0 || (victim->len != 0 && b->last < victim->last))
			victim = b;
	}
	if (!hit) {
		hit = victim;
		memset(hit, 0, sizeof *hit);
		memcpy(hit->addr, addr, len);
		hit->len = (uint8_t)len;
		hit->tokens = rl->burst;
		hit->last = now;
	}
	hit->tokens += (now - hit->last) * rl->rate;
	if (hit->tokens > rl->burst)
		hit->tokens = rl->burst;
	hit->last = now;
	ok = hit->tokens >= 1.0;
	if (ok)
		hit->tokens -= 1.0;
	pthread_mutex_unlock(&s->lock);
	return ok;
}
