/* voters.h: the demo's simulated voters of one region, and casting their
 * ballots with many client threads through the booth (src/client/booth.h). */
#ifndef URNA_DEMO_VOTERS_H
#define URNA_DEMO_VOTERS_H
#include <stddef.h>
#include <stdint.h>
#include "client/booth.h"
#include "client/credentials.h"
#include "demo/plan.h"
#include "demo/scenario.h"

enum { V_BLANK = 0, V_YES = 1, V_NO = 2 };

typedef struct {
	char cred[CRED_TEXT];
	uint8_t x[32], X[32];
	uint8_t final, first; /* choices; first only for re-voters */
	uint8_t revote, votes;
	uint8_t trk_first[32], trk_last[32]; /* trackers of the ballots cast */
} voter;

typedef struct {
	const region_spec *spec;
	demo_plan plan;
	booth_ctx ctx;
	voter *v;
	uint32_t n;
	int64_t expected_cast;
	char pub[4300]; /* the authority's public list file of the region */
	json_t *kept;   /* one voter's ballot answer (its signed receipt), and that ballot's tracker */
	uint8_t kept_trk[32];
} region_run;

typedef struct {
	uint16_t region;
	uint32_t voter;
	uint8_t choice;
} task;

/* Builds and casts v's ballot for choice in r; records its tracker.
 * 0 or -1 (e); *status is the HTTP status, *ans the answer (may be NULL). */
int demo_cast_one(const client_conn *c, region_run *r, voter *v, uint8_t choice, int *status, json_t **ans,
                  urna_err *e);

/* Casts every task with nthreads client threads, with a progress line.
 * Returns how many were refused; the first refusal's reason in err. */
size_t demo_cast_all(const client_conn *c, region_run *regions, task *tasks, size_t n, int nthreads, char *err,
                     size_t errcap);

/* Shuffles tasks in place (the server sees voters in no set order). */
void demo_shuffle(task *t, size_t n);

#endif
