/* tally.c: `urna tally --referendum ID`: after the close, asks the server to
 * append the close entry and one tally entry a region (docs/api.md). */
#include <string.h>
#include "cli/cli.h"
#include "cli/commands.h"

int cmd_tally(int argc, char **argv)
{
	const char *server = NULL, *token = NULL, *ref = NULL;
	cli_opt opts[] = {{"server", 1, &server, NULL}, {"token-file", 1, &token, NULL},
	                  {"referendum", 1, &ref, NULL}, {NULL, 0, NULL, NULL}};
	if (cli_parse("tally", argc, argv, opts, NULL, 0, NULL) != 0)
		return CLI_USAGE;
	if (!ref)
		return cli_usage_error("tally", "usage: urna tally --referendum ID --token-file F [--server URL]");
	urna_err e = {0};
	cli_conn c;
	json_t *ans = NULL;
	char path[128];
	if (cli_conn_init(&c, server, token, &e) != 0 || cli_check_id("referendum", ref, &e) != 0)
		return cli_fail("tally", &e);
	snprintf(path, sizeof path, "/api/referendums/%s/tally", ref);
	if (cli_call(&c, "POST", path, NULL, &ans, NULL, "tally", &e) != 0)
		return cli_fail("tally", &e);
	size_t i;
	json_t *r;
	printf("tallied %s:\n", ref);
	json_array_foreach(json_object_get(ans, "regions"), i, r) {
		const char *id = json_string_value(json_object_get(r, "region"));
		printf("  %-20s %lld ballots cast, %lld counted (the last of each credential)\n", id ? id : "?",
		       (long long)json_integer_value(json_object_get(r, "cast")),
		       (long long)json_integer_value(json_object_get(r, "counted")));
	}
	printf("next: any %lld trustees run `urna trustee decrypt --referendum %s`\n",
	       (long long)json_integer_value(json_object_get(ans, "t")), ref);
	json_decref(ans);
	return CLI_OK;
}
