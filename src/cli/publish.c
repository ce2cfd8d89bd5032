/* publish.c: `urna publish --referendum ID`: at or after announce_at, asks
 * the server to combine the trustees' decryptions and append the results.
 * Before then the server refuses and its reason is printed. */
#include <string.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "client/organizer.h"

const char publish_usage[] =
	"urna publish --referendum ID --key KEYFILE [--server URL]\n"
	"\n"
	"The organizer's publish entry, at or after announce_at: the server then\n"
	"combines the trustees' decryptions and appends the results it signs;\n"
	"before then, or while a region lacks decryptions, it refuses and says why.\n"
	"\n"
	"  --server URL        the server (default $URNA_SERVER, else " HTTP_DEFAULT_SERVER ")\n"
	"  --key KEYFILE       the organizer's key file: the request is its signed entry\n";

int cmd_publish(int argc, char **argv)
{
	const char *ref;
	json_t *ans;
	int rc = cli_referendum_post("publish", argc, argv, organizer_publish, &ref, &ans);
	if (rc == CLI_OK)
		printf("published the results of %s; see `urna results --referendum %s`\n", ref, ref);
	json_decref(ans);
	return rc;
}
