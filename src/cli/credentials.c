/* credentials.c: `urna credentials generate|upload|check`, the credential
 * authority's commands (src/client/credentials.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "client/credentials.h"

const char credentials_usage[] =
	"urna credentials generate --referendum ID --region R --count N --out DIR [--force]\n"
	"urna credentials upload --key KEYFILE [--referendum ID] [--region R] FILE.public.json [--server URL]\n"
	"urna credentials check --key KEYFILE [--referendum ID] [--region R] FILE.public.json [--server URL]\n"
	"\n"
	"The credential authority's part. generate makes N voters' credentials for\n"
	"one region: DIR/R.private holds their texts (hand each out once, then\n"
	"destroy the file), DIR/R.public.json their public keys, shuffled. upload\n"
	"publishes that list on the board before the opening, in entries signed\n"
	"with the authority's key (urna keygen --role authority), then the\n"
	"region's electorate entry naming every list (run again after a failure:\n"
	"lists already on the board are not sent twice; after the electorate\n"
	"entry, exit 0 if it is this file's). check says whether the\n"
	"board holds exactly the file's lists, all signed by this authority, and\n"
	"its electorate entry (exit 0), or what differs (exit 1). The referendum\n"
	"and region default to the file's own.\n"
	"\n"
	"  --force             replace existing files\n"
	"  --key KEYFILE       the credential authority's key file\n"
	"  --server URL        the server (default $URNA_SERVER, else " HTTP_DEFAULT_SERVER ")\n";

static int generate(int argc, char **argv)
{
	const char *cmd = "credentials generate", *ref = NULL, *region = NULL, *count_s = NULL, *dir = NULL;
	int force = 0;
	cli_opt opts[] = {
		{"referendum", 1, &ref, NULL}, {"region", 1, &region, NULL},
		{"count", 1, &count_s, NULL},  {"out", 1, &dir, NULL},
		{"force", 0, NULL, &force},    {NULL, 0, NULL, NULL},
	};
	if (cli_parse(cmd, argc, argv, opts, NULL, 0, NULL) != 0)
		return CLI_USAGE;
	if (!ref || !region || !count_s || !dir)
		return cli_usage(cmd);
	unsigned long long count;
	if (cli_uint(count_s, 1, CRED_MAX_COUNT, &count) != 0)
		return cli_usage_error(cmd, "--count must be 1..%llu", CRED_MAX_COUNT);
	urna_err e = {0};
	char *priv, *pub;
	if (credentials_generate(ref, region, count, dir, force, &priv, &pub, &e) != 0)
		return cli_fail(cmd, &e);
	printf("%llu credentials for %s/%s\n  private (hand out, then destroy): %s\n  public (upload):                  %s\n",
	       count, ref, region, priv, pub);
	free(priv);
	free(pub);
	return CLI_OK;
}

/* upload and check: the same options, one of two steps. */
static int upload_or_check(int argc, char **argv, int check)
{
	const char *cmd = check ? "credentials check" : "credentials upload", *ref = NULL, *region = NULL,
	           *server = NULL, *key = NULL, *file = NULL;
	cli_opt opts[] = {
		{"referendum", 1, &ref, NULL}, {"region", 1, &region, NULL},
		{"server", 1, &server, NULL},  {"key", 1, &key, NULL},
		{NULL, 0, NULL, NULL},
	};
	int np = 0;
	if (cli_parse(cmd, argc, argv, opts, &file, 1, &np) != 0)
		return CLI_USAGE;
	if (np != 1 || !key)
		return cli_usage(cmd);
	urna_err e = {0};
	client_conn c;
	credentials_sent s = {0};
	snprintf(s.referendum, sizeof s.referendum, "%s", ref ? ref : "");
	snprintf(s.region, sizeof s.region, "%s", region ? region : "");
	if (client_conn_init(&c, server, NULL, &e) != 0)
		return cli_fail(cmd, &e);
	if (check) {
		if (credentials_check(&c, key, file, &s, stdout, &e) != 0)
			return cli_fail(cmd, &e);
		printf("credentials of %s/%s: the board holds exactly this file's %zu credentials, signed by this authority\n",
		       s.referendum, s.region, s.uploaded);
		return CLI_OK;
	}
	if (credentials_upload(&c, key, file, &s, &e) != 0) {
		int rc = cli_fail(cmd, &e);
		if (s.uploaded > 0)
			fprintf(stderr, "urna %s: %zu are on the board; run the same command again to go on\n", cmd, s.uploaded);
		return rc;
	}
	if (s.final)
		printf("nothing to upload: the electorate of %s/%s is already final, %lld credentials, exactly this file's\n",
		       s.referendum, s.region, s.electorate);
	else
		printf("uploaded %zu credentials to %s/%s and signed its electorate: %lld\n", s.uploaded, s.referendum,
		       s.region, s.electorate);
	return CLI_OK;
}

int cmd_credentials(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "generate"))
		return generate(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "upload"))
		return upload_or_check(argc - 1, argv + 1, 0);
	if (argc >= 2 && !strcmp(argv[1], "check"))
		return upload_or_check(argc - 1, argv + 1, 1);
	return cli_usage("credentials");
}
