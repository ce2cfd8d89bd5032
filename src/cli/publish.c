/* publish.c: `urna publish --referendum ID`: at or after announce_at, asks
 * the server to combine the trustees' decryptions and append the results.
 * Before then the server refuses and its reason is printed. */
#include <string.h>
#include "cli/cli.h"
#include "cli/commands.h"

const char publish_usage[] =
	"urna publish --referendum ID [--token-file F] [--server URL]\n"
	"\n"
	"The organizer's call at or after announce_at: the server combines the\n"
	"trustees' decryptions and appends the results; before then it refuses\n"
	"and says why.\n"
	"\n"
	"  --server URL        the server (default $URNA_SERVER, else " HTTP_DEFAULT_SERVER ")\n"
	"  --token-file F      the organizer's bearer token (default $URNA_TOKEN_FILE)\n";

int cmd_publish(int argc, char **argv)
{
	const char *server = NULL, *token = NULL, *ref = NULL;
	cli_opt opts[] = {{"server", 1, &server, NULL}, {"token-file", 1, &token, NULL},
	                  {"referendum", 1, &ref, NULL}, {NULL, 0, NULL, NULL}};
	if (cli_parse("publish", argc, argv, opts, NULL, 0, NULL) != 0)
		return CLI_USAGE;
	if (!ref)
		return cli_usage("publish");
	urna_err e = {0};
	client_conn c;
	json_t *ans = NULL;
	if (client_conn_init(&c, server, token, &e) != 0 || client_post(&c, ref, "publish", NULL, &ans, "publish", &e) != 0)
		return cli_fail("publish", &e);
	printf("published the results of %s; see `urna results --referendum %s`\n", ref, ref);
	json_decref(ans);
	return CLI_OK;
}
