/* results.c: `urna results`: the results table (src/client/results.c). */
#include <stdio.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "client/results.h"

const char results_usage[] =
	"urna results --referendum ID [--server URL] [--lang ru]\n"
	"urna results RECORD_DIR|BOARD.jsonl [--lang ru]\n"
	"\n"
	"A table per region: the count and share of valid votes of each choice,\n"
	"blank ballots, ballots cast, counted after re-voting, electorate,\n"
	"turnout. From the server's published results, or from a record's board\n"
	"replayed here (its figures, not its proofs: `urna verify` checks those).\n"
	"Exits 1 while there are no results.\n"
	"\n"
	"  --server URL        the server (default $URNA_SERVER, else " HTTP_DEFAULT_SERVER ")\n"
	"  --lang en|ru        the language of the table and the referendum's texts\n";

int cmd_results(int argc, char **argv)
{
	const char *server = NULL, *ref = NULL, *dir = NULL, *lang = "en";
	cli_opt opts[] = {{"server", 1, &server, NULL}, {"referendum", 1, &ref, NULL}, {"lang", 1, &lang, NULL},
	                  {NULL, 0, NULL, NULL}};
	int np = 0;
	if (cli_parse("results", argc, argv, opts, &dir, 1, &np) != 0)
		return CLI_USAGE;
	if (!ref == !dir)
		return cli_usage("results");
	if (!results_lang_ok(lang))
		return cli_usage_error("results", "--lang: en or ru");
	urna_err e = {0};
	json_t *res = NULL;
	client_conn c;
	if ((!dir && client_conn_init(&c, server, NULL, &e) != 0) || results_get(&res, &c, ref, dir, &e) != 0)
		return cli_fail("results", &e);
	results_print(stdout, res, lang);
	int rc = res ? CLI_OK : CLI_FAIL;
	json_decref(res);
	return rc;
}
