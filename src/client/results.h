/* results.h: the results (results.json's content, record/results.h) as a
 * client gets them, and their table for a person (`urna results`,
 * `urna verify`, the demo): counts per choice, blank, cast, counted after
 * re-voting, electorate, turnout, each choice's share of the valid votes. */
#ifndef URNA_CLIENT_RESULTS_H
#define URNA_CLIENT_RESULTS_H
#include <stdio.h>
#include <jansson.h>
#include "client/client.h"

/* Prints a table per region of res, the content of results.json
 * (record/results.h; NULL: no results yet), texts in lang, falling back to
 * English. */
void results_print(FILE *f, const json_t *res, const char *lang);
/* 1 when the table has its own words in lang ("en", "ru"). */
int results_lang_ok(const char *lang);

/* The results of referendum ref from the server (its GET .../results;
 * NULL while none are published), or with dir (a record folder or a
 * board.jsonl) from that board replayed by the record layer (c unused).
 * 0 (*res: caller json_decref's) or -1 (e). */
int results_get(json_t **res, const client_conn *c, const char *ref, const char *dir, urna_err *e);

#endif
