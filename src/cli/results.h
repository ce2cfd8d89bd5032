/* results.h: the results table (`urna results`, the demo). */
#ifndef URNA_CLI_RESULTS_H
#define URNA_CLI_RESULTS_H
#include <stdio.h>
#include <jansson.h>

/* Prints a table per region of res, the content of results.json
 * (record/results.h; NULL: no results yet), texts in lang, falling back to
 * English. */
void results_print(FILE *f, const json_t *res, const char *lang);

#endif
