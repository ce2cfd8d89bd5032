/* export.c: `urna export`: a referendum's record folder (src/client/export.c). */
#include <stdio.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "client/export.h"

const char export_usage[] =
	"urna export --referendum ID --out DIR [--server URL | --db FILE]\n"
	"\n"
	"Writes the record folder of referendum ID into DIR: board.jsonl, the\n"
	"whole board, and once results are published results.json and\n"
	"results.csv, written from that board (what `urna verify DIR` checks).\n"
	"\n"
	"  --server URL        download it (default $URNA_SERVER, else " HTTP_DEFAULT_SERVER ")\n"
	"  --db FILE           read it from a server's database instead\n";

int cmd_export(int argc, char **argv)
{
	const char *server = NULL, *ref = NULL, *dir = NULL, *db = NULL;
	cli_opt opts[] = {{"server", 1, &server, NULL}, {"referendum", 1, &ref, NULL}, {"out", 1, &dir, NULL},
	                  {"db", 1, &db, NULL}, {NULL, 0, NULL, NULL}};
	if (cli_parse("export", argc, argv, opts, NULL, 0, NULL) != 0)
		return CLI_USAGE;
	if (!ref || !dir || (db && server))
		return cli_usage("export");
	urna_err e = {0};
	client_conn c;
	int have = 0;
	if (db ? export_from_db(db, ref, dir, &have, &e)
	       : client_conn_init(&c, server, NULL, &e) || export_from_server(&c, ref, dir, &have, &e))
		return cli_fail("export", &e);
	printf("exported %s%s%s to %s: board.jsonl%s\n", ref, db ? " from " : "", db ? db : "", dir,
	       have ? ", results.json, results.csv" : " (no results published yet)");
	return CLI_OK;
}
