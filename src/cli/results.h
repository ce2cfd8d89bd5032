/* results.h: the results table (`urna results`, the demo). */
#ifndef URNA_CLI_RESULTS_H
#define URNA_CLI_RESULTS_H
#include <stdio.h>
#include "cli/board_client.h"

/* Prints a table per result entry of b (texts in lang, falling back to
 * English), *nres (may be NULL) = number of result entries. Returns 0. */
int results_print(FILE *f, const board_view *b, const char *lang, int *nres);

#endif
