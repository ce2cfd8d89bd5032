/* results.h: the results table (`urna results`, the demo). */
#ifndef URNA_CLI_RESULTS_H
#define URNA_CLI_RESULTS_H
#include <stdio.h>
#include <jansson.h>

/* Prints a table per region of res, the content of results.json
 * (record/results.h; NULL: no results yet), texts in lang, falling back to
 * English. */
void results_print(FILE *f, const json_t *res, const char *lang);
/* 1 when the table has its own words in lang ("en", "ru"). */
int results_lang_ok(const char *lang);

#endif
