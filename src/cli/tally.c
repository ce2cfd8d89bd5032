/* tally.c: `urna tally --referendum ID`: after the close, asks the server to
 * append the close entry and one tally entry a region (docs/api.md). */
#include <string.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "client/organizer.h"

const char tally_usage[] =
	"urna tally --referendum ID --key KEYFILE [--server URL]\n"
	"\n"
	"The organizer's close entry, after the voting window: the server then\n"
	"appends, per region, the tally it signs: the sum of the counted ballots\n"
	"(the last of each credential). The trustees then decrypt it.\n"
	"\n"
	"  --server URL        the server (default $URNA_SERVER, else " HTTP_DEFAULT_SERVER ")\n"
	"  --key KEYFILE       the organizer's key file: the request is its signed entry\n";

int cmd_tally(int argc, char **argv)
{
	const char *ref;
	json_t *ans, *r;
	int rc = cli_referendum_post("tally", argc, argv, organizer_close, &ref, &ans);
	size_t i;
	if (rc != CLI_OK)
		return rc;
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
