/* plan.c: the demo's scenario arithmetic (plan.h). */
#include <string.h>
#include "demo/plan.h"

uint32_t pct_tenths(uint64_t part, uint64_t whole)
{
	return whole ? (uint32_t)((2000 * part + whole) / (2 * whole)) : 0;
}

/* yes for valid votes close enough to target: |1000 yes / valid - target|
 * <= 0.3 tenths of a percent. */
static int fits(uint32_t valid, uint32_t target, uint32_t *yes)
{
	uint64_t y = ((uint64_t)target * valid + 500) / 1000;
	int64_t diff = (int64_t)(1000 * y) - (int64_t)target * valid;
	if (diff < 0)
		diff = -diff;
	if (diff * 10 > 3 * (int64_t)valid || y == 0 || y >= valid)
		return 0;
	*yes = (uint32_t)y;
	return 1;
}

int demo_plan_region(demo_plan *p, uint32_t electorate, uint32_t target_tenths, uint32_t turnout_pm)
{
	memset(p, 0, sizeof *p);
	if (electorate < 20 || target_tenths == 0 || target_tenths >= 1000 || turnout_pm > 1000)
		return -1;
	uint32_t blank = electorate * 15 / 1000;
	if (blank == 0)
		blank = 1;
	uint32_t max_valid = electorate - blank - 1; /* at least one abstains */
	uint64_t want = (uint64_t)electorate * turnout_pm / 1000;
	uint32_t v0 = want > blank ? (uint32_t)(want - blank) : 1;
	if (v0 > max_valid)
		v0 = max_valid;
	for (uint32_t d = 0; d <= max_valid; d++) {
		uint32_t cand[2] = {v0 + d, v0 - d};
		for (int k = 0; k < 2; k++) {
			uint32_t v = cand[k], yes;
			if ((k == 1 && d > v0) || v < 2 || v > max_valid || !fits(v, target_tenths, &yes))
				continue;
			p->electorate = electorate;
			p->yes = yes;
			p->no = v - yes;
			p->blank = blank;
			p->abstain = electorate - v - blank;
			uint32_t counted = v + blank;
			p->revoters = counted / 10 ? counted / 10 : 1;
			p->changed = p->revoters / 2;
			return 0;
		}
	}
	return -1;
}
