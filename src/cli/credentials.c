/* credentials.c: `urna credentials generate|upload`, the credential
 * authority's commands (src/client/credentials.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "client/credentials.h"

const char credentials_usage[] =
	"urna credentials generate --referendum ID --region R --count N --out DIR [--force]\n"
	"urna credentials upload [--referendum ID] [--region R] FILE.public.json [--server URL] [--token-file F]\n"
	"\n"
	"The credential authority's part. generate makes N voters' credentials for\n"
	"one region: DIR/R.private holds their texts (hand each out once, then\n"
	"destroy the file), DIR/R.public.json their public keys, shuffled. upload\n"
	"publishes that list on the board before the opening (the referendum and\n"
	"region default to the file's own).\n"
	"\n"
	"  --force             replace existing files\n"
	"  --server URL        the server (default $URNA_SERVER, else " HTTP_DEFAULT_SERVER ")\n"
	"  --token-file F      the bearer token (default $URNA_TOKEN_FILE)\n";

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

static int upload(int argc, char **argv)
{
	const char *cmd = "credentials upload", *ref = NULL, *region = NULL, *server = NULL, *token = NULL, *file = NULL;
	cli_opt opts[] = {
		{"referendum", 1, &ref, NULL}, {"region", 1, &region, NULL},
		{"server", 1, &server, NULL},  {"token-file", 1, &token, NULL},
		{NULL, 0, NULL, NULL},
	};
	int np = 0;
	if (cli_parse(cmd, argc, argv, opts, &file, 1, &np) != 0)
		return CLI_USAGE;
	if (np != 1)
		return cli_usage(cmd);
	urna_err e = {0};
	client_conn c;
	credentials_sent s = {0};
	snprintf(s.referendum, sizeof s.referendum, "%s", ref ? ref : "");
	snprintf(s.region, sizeof s.region, "%s", region ? region : "");
	if (client_conn_init(&c, server, token, &e) != 0)
		return cli_fail(cmd, &e);
	if (credentials_upload(&c, file, &s, &e) != 0) {
		int rc = cli_fail(cmd, &e);
		if (s.uploaded > 0)
			fprintf(stderr, "urna %s: %zu were uploaded before that\n", cmd, s.uploaded);
		return rc;
	}
	printf("uploaded %zu credentials to %s/%s; electorate now %lld\n", s.uploaded, s.referendum, s.region,
	       s.electorate);
	return CLI_OK;
}

int cmd_credentials(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "generate"))
		return generate(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "upload"))
		return upload(argc - 1, argv + 1);
	return cli_usage("credentials");
}
