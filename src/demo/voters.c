/* voters.c: casting the simulated voters' ballots (voters.h). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include "demo/say.h"
#include "demo/voters.h"

typedef struct {
	const client_conn *c;
	region_run *regions;
	task *tasks;
	size_t ntasks;
	atomic_size_t next, done, failed;
	char first_error[256];
	pthread_mutex_t mu;
} vote_pool;

int demo_cast_one(const client_conn *c, region_run *r, voter *v, uint8_t choice, int *status, json_t **ans,
                    urna_err *e)
{
	booth_answers a;
	memset(&a, 0, sizeof a);
	a.nq = 1;
	if (choice != V_BLANK)
		a.sel[0][choice - 1] = 1;
	char *ballot = NULL;
	size_t len;
	uint8_t trk[32];
	if (booth_build(&ballot, &len, trk, NULL, &r->ctx, &a, v->x, v->X, e) != 0)
		return -1;
	int rc = booth_cast(c, &r->ctx, ballot, len, ans, status, e);
	free(ballot);
	if (rc == 0) {
		memcpy(v->votes ? v->trk_last : v->trk_first, trk, 32);
		if (!v->votes)
			memcpy(v->trk_last, trk, 32);
		v->votes++;
	}
	return rc;
}

static void *vote_worker(void *arg)
{
	vote_pool *p = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&p->next, 1);
		if (i >= p->ntasks)
			break;
		task *t = &p->tasks[i];
		region_run *r = &p->regions[t->region];
		urna_err e = {0};
		int status = 0;
		json_t *ans = NULL;
		if (demo_cast_one(p->c, r, &r->v[t->voter], t->choice, &status, &ans, &e) != 0 || status != 201) {
			atomic_fetch_add(&p->failed, 1);
			pthread_mutex_lock(&p->mu);
			if (!p->first_error[0])
				snprintf(p->first_error, sizeof p->first_error, "%s/%u: %.200s", r->spec->id, t->voter,
				         e.msg[0] ? e.msg : "unexpected status");
			pthread_mutex_unlock(&p->mu);
		} else if (!r->kept) { /* the first voter of each region keeps the receipt */
			pthread_mutex_lock(&p->mu);
			if (!r->kept) {
				r->kept = ans;
				memcpy(r->kept_trk, r->v[t->voter].trk_last, 32);
				ans = NULL;
			}
			pthread_mutex_unlock(&p->mu);
		}
		json_decref(ans);
		atomic_fetch_add(&p->done, 1);
	}
	return NULL;
}

static void progress(size_t done, size_t total, double t0, int final)
{
	if (!demo_tty && !final)
		return;
	int w = 40, k = total ? (int)((double)done / (double)total * w) : w;
	double dt = demo_now() - t0;
	if (demo_tty)
		printf("\r    [%.*s%*s] %zu/%zu ballots, %.0f/s ", k, "########################################", w - k, "", done,
		       total, dt > 0 ? (double)done / dt : 0.0);
	else
		printf("    %zu/%zu ballots in %.1f s, %.0f/s", done, total, dt, dt > 0 ? (double)done / dt : 0.0);
	if (final)
		putchar('\n');
	fflush(stdout);
}

/* Casts every task with nthreads client threads. Returns failures. */
size_t demo_cast_all(const client_conn *c, region_run *regions, task *tasks, size_t n, int nthreads, char *err,
                       size_t errcap)
{
	vote_pool p = {.c = c, .regions = regions, .tasks = tasks, .ntasks = n};
	atomic_init(&p.next, 0);
	atomic_init(&p.done, 0);
	atomic_init(&p.failed, 0);
	pthread_mutex_init(&p.mu, NULL);
	pthread_t th[64];
	int started = 0;
	double t0 = demo_now();
	for (int i = 0; i < nthreads && i < 64; i++)
		if (pthread_create(&th[i], NULL, vote_worker, &p) == 0)
			started++;
	if (started == 0)
		vote_worker(&p);
	while (atomic_load(&p.done) < n && started) {
		progress(atomic_load(&p.done), n, t0, 0);
		usleep(100000);
	}
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	progress(n, n, t0, 1);
	pthread_mutex_destroy(&p.mu);
	snprintf(err, errcap, "%s", p.first_error);
	return atomic_load(&p.failed);
}

void demo_shuffle(task *t, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = randombytes_uniform((uint32_t)i);
		task x = t[i - 1];
		t[i - 1] = t[j];
		t[j] = x;
	}
}

