/* results.h: the record folder's results.json and results.csv, derived from
 * an election's result entries. Shared by `urna export`, the server's
 * /record/ routes and `urna verify` (which compares what it derives with the
 * files present). */
#ifndef URNA_RESULTS_H
#define URNA_RESULTS_H
#include <stddef.h>
#include <jansson.h>
#include "record/election.h"
#include "record/error.h"

/* results.json content, for every region with a result entry:
 * {"referendum":ID,"title":TEXT,"timezone":TZ,"announce_at":TIME,
 *  "head":{"seq":last line,"hash":hash32 of it},
 *  "regions":[{"id","name":TEXT,"electorate","cast","counted","trustees":[j..],
 *    "turnout":"12.3","questions":[{"text":TEXT,"blank","valid",
 *      "choices":[{"text":TEXT,"count","percent":"45.6"}...]}...]}...]}
 * percent is of the question's valid votes (the sum of its choice counts),
 * turnout of counted ballots over the electorate, both one-decimal strings
 * (results_pct). New reference, NULL when no region has a result. */
json_t *results_json(const election *el);
/* results.csv: one row per region, question and choice (and blank):
 * region,question,choice,count,percent,counted,cast,electorate,turnout
 * with choice 1..m then "blank" (its percent empty).
 * malloc'd NUL-terminated text, NULL when no region has a result. */
char *results_csv(const election *el, size_t *len);
/* Writes dir/results.json (canonical JSON plus a newline) and
 * dir/results.csv. 0 or -1 (io_error in e). */
int results_write(const election *el, const char *dir, urna_err *e);
/* One decimal of num/den as text ("33.3"), rounding half up; "0.0" when
 * den is 0. */
void results_pct(char out[static 16], uint64_t num, uint64_t den);

#endif
