/* scenario.h: the demo's two referendums, as data (scenario.c), and the
 * spec that `urna referendum create` would send for one. */
#ifndef URNA_DEMO_SCENARIO_H
#define URNA_DEMO_SCENARIO_H
#include <stdint.h>
#include <jansson.h>

#define NREG 5
#define NTRUSTEES 5
#define THRESHOLD 3
#define ABSENT 4 /* the trustee who does not come to decrypt */
#define DEMO_ZONE "Europe/Moscow"

typedef struct {
	const char *id, *en, *ru, *q_en, *q_ru;
	uint32_t target;  /* in-favour share, tenths of a percent */
	uint32_t turnout; /* per mille, roughly */
} region_spec;

typedef struct {
	const char *id, *title_en, *title_ru;
	const char *opens, *closes, *announce;                                 /* as created */
	const char *new_opens, *new_closes, *new_announce, *reason, *reason_ru; /* postponement, or NULL */
	int with_refusals; /* try the ballots the server must refuse */
	region_spec regions[NREG];
} round_spec;

extern const round_spec demo_rounds[2];
extern const int64_t demo_setup_time; /* the server's clock while both are set up */

/* {"en": en, "ru": ru} */
json_t *demo_text(const char *en, const char *ru);
/* The referendum spec of rs (docs/api.md) naming these trustees
 * ([{"key","name"}...]) and authorities ([{"key","name","regions"}...]). */
json_t *demo_spec_json(const round_spec *rs, const json_t *trustees, const json_t *authorities);

#endif
