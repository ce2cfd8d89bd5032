/* publish.c: `urna publish --referendum ID`: at or after announce_at, asks
 * the server to combine the trustees' decryptions and append the results.
 * Before then the server refuses and its reason is printed. */
#include <string.h>
#include "cli/cli.h"
#include "cli/commands.h"

int cmd_publish(int argc, char **argv)
{
	const char *server = NULL, *token = NULL, *ref = NULL;
	cli_opt opts[] = {{"server", 1, &server, NULL}, {"token-file", 1, &token, NULL},
	                  {"referendum", 1, &ref, NULL}, {NULL, 0, NULL, NULL}};
	if (cli_parse("publish", argc, argv, opts, NULL, 0, NULL) != 0)
		return CLI_USAGE;
	if (!ref)
		return cli_usage_error("publish", "usage: urna publish --referendum ID --token-file F [--server URL]");
	urna_err e = {0};
	cli_conn c;
	json_t *ans = NULL;
	char path[128];
	if (cli_conn_init(&c, server, token, &e) != 0 || cli_check_id("referendum", ref, &e) != 0)
		return cli_fail("publish", &e);
	snprintf(path, sizeof path, "/api/referendums/%s/publish", ref);
	if (cli_call(&c, "POST", path, NULL, &ans, NULL, "publish", &e) != 0)
		return cli_fail("publish", &e);
	printf("published the results of %s; see `urna results --referendum %s`\n", ref, ref);
	json_decref(ans);
	return CLI_OK;
}
