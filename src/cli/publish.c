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
	const char *ref;
	json_t *ans;
	int rc = cli_referendum_post("publish", argc, argv, "publish", &ref, &ans);
	if (rc == CLI_OK)
		printf("published the results of %s; see `urna results --referendum %s`\n", ref, ref);
	json_decref(ans);
	return rc;
}
