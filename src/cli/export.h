/* export.h: downloading a referendum's record folder (`urna export`). */
#ifndef URNA_CLI_EXPORT_H
#define URNA_CLI_EXPORT_H
#include "cli/cli.h"

/* Downloads dir/board.jsonl and, when it holds results, writes
 * dir/results.json and dir/results.csv from it (*have_results, may be NULL,
 * says so). Creates dir. 0 or -1 (e). */
int export_from_server(const cli_conn *c, const char *ref, const char *dir, int *have_results, urna_err *e);

#endif
