/* plan.h: the demo's scenario arithmetic, pure and testable: how many
 * simulated voters of a region vote for, against, blank, twice, or not at
 * all so that the published one-decimal percentages come out exactly as
 * intended whatever rounding rule a reader applies. */
#ifndef URNA_DEMO_PLAN_H
#define URNA_DEMO_PLAN_H
#include <stdint.h>

typedef struct {
	uint32_t electorate; /* credentials on the list */
	uint32_t yes, no;    /* final choices of the counted voters */
	uint32_t blank;      /* counted ballots with no choice */
	uint32_t revoters;   /* counted voters who cast two ballots */
	uint32_t changed;    /* of the revoters, those whose first ballot differed */
	uint32_t abstain;    /* credentials never used */
} demo_plan;

/* Plans a region of electorate voters whose in-favour share of valid votes
 * (yes / (yes + no)) is target_tenths / 10 percent, with about turnout_pm
 * per mille of the electorate voting. The exact share is within 0.03
 * percentage points of the target, so both shares round to it (and to
 * 100 - it) under half-up or half-even rounding. Returns 0, or -1 when the
 * electorate is too small to reach the target (below about 100 voters). */
int demo_plan_region(demo_plan *p, uint32_t electorate, uint32_t target_tenths, uint32_t turnout_pm);

/* Percentage of part in whole in tenths, rounded half up (0 when whole is
 * 0): 721 for 72.1 %. */
uint32_t pct_tenths(uint64_t part, uint64_t whole);

#endif
