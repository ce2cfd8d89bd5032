/* demo.h: `urna demo`: two referendums end to end against a real
 * `urna serve` child on 127.0.0.1 with a SQLite file and a driven clock
 * (src/client/local_server.h). Round 1: five regions, exact intended
 * percentages, re-votes (some changing their mind), abstentions, refused
 * ballots. Round 2: five other regions, postponed once before opening, open
 * 1-15 July (Moscow), results at the end of the month. 3-of-5 trustees with
 * a DKG, one absent at decryption. Both records exported and verified. */
#ifndef URNA_DEMO_H
#define URNA_DEMO_H
#include <stdint.h>
#include "record/error.h"

#define DEMO_DEFAULT_VOTERS 2000 /* a demo within two minutes on 2 cores; it prints its own time */

typedef struct {
	uint32_t voters;  /* per region, 100..1000000 */
	int threads;      /* client threads casting ballots; 0: two a core */
	const char *dir;  /* kept afterwards; NULL: a temporary folder, removed when all went well */
	const char *lang; /* "en" or "ru": the results tables */
} demo_opts;

/* Runs the demo, printing each step. 0 when both referendums published
 * exactly the intended results and verify; -1 otherwise (e says why when
 * a step failed rather than a figure). */
int demo_run(const demo_opts *o, urna_err *e);

#endif
