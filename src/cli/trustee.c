/* trustee.c: `urna trustee keygen|dkg|decrypt`: a trustee's steps
 * (src/client/trustee.c). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "client/trustee.h"

const char trustee_usage[] =
	"urna trustee keygen --index i --out KEYFILE\n"
	"urna trustee dkg [--referendum ID] --index i --key KEYFILE [--no-wait] [--timeout S]\n"
	"urna trustee decrypt [--referendum ID] --index i --key KEYFILE\n"
	"\n"
	"A trustee's part. keygen makes trustee i's key file (mode 0600, keep it\n"
	"secret). dkg takes part in the key ceremony: it posts the commitment, then\n"
	"the encrypted shares, checks the shares dealt to it and complains about a\n"
	"bad one, and waits (up to --timeout seconds, default 600) until the\n"
	"election key is fixed; --no-wait posts what it can and returns. decrypt,\n"
	"after the tally, posts trustee i's decryption shares with their proofs.\n"
	"Without --referendum: the one the key file was used for, else the only\n"
	"one on the server.\n"
	"\n"
	"  --server URL        the server (default $URNA_SERVER, else " HTTP_DEFAULT_SERVER ")\n"
	"  --token-file F      the bearer token (default $URNA_TOKEN_FILE)\n"
	"  --test-bad-proof, --test-bad-share j   misbehave, for tests of the checks\n";

static int index_arg(const char *cmd, const char *s, uint32_t *out)
{
	unsigned long long v;
	if (!s || cli_uint(s, 1, URNA_MAX_TRUSTEES, &v) != 0)
		return cli_usage_error(cmd, "--index must be 1..%d", URNA_MAX_TRUSTEES), -1;
	*out = (uint32_t)v;
	return 0;
}

int cmd_trustee(int argc, char **argv)
{
	const char *sub = argc >= 2 ? argv[1] : "";
	const char *server = NULL, *token = NULL, *ref = NULL, *idx = NULL, *key = NULL, *out = NULL, *timeout = NULL;
	const char *bad_share = NULL;
	int no_wait = 0, bad = 0;
	cli_opt opts[] = {
		{"server", 1, &server, NULL}, {"token-file", 1, &token, NULL}, {"referendum", 1, &ref, NULL},
		{"index", 1, &idx, NULL},     {"key", 1, &key, NULL},          {"out", 1, &out, NULL},
		{"timeout", 1, &timeout, NULL}, {"no-wait", 0, NULL, &no_wait},
		{"test-bad-proof", 0, NULL, &bad}, {"test-bad-share", 1, &bad_share, NULL}, {NULL, 0, NULL, NULL},
	};
	char cmd[32];
	snprintf(cmd, sizeof cmd, "trustee %s", sub);
	if (strcmp(sub, "keygen") && strcmp(sub, "dkg") && strcmp(sub, "decrypt"))
		return cli_usage("trustee");
	if (cli_parse(cmd, argc - 1, argv + 1, opts, NULL, 0, NULL) != 0)
		return CLI_USAGE;
	uint32_t index;
	if (index_arg(cmd, idx, &index) != 0)
		return CLI_USAGE;
	urna_err e = {0};
	if (!strcmp(sub, "keygen")) {
		if (!out)
			return cli_usage_error(cmd, "--out KEYFILE is required");
		if (trustee_keygen(out, index, &e) != 0)
			return cli_fail(cmd, &e);
		printf("trustee %u's key file: %s (keep it secret; it will hold the key share)\n", index, out);
		return CLI_OK;
	}
	if (!key)
		return cli_usage_error(cmd, "--key KEYFILE is required");
	unsigned long long to = 600;
	if (timeout && cli_uint(timeout, 1, 86400, &to) != 0)
		return cli_usage_error(cmd, "--timeout must be 1..86400 seconds");
	client_conn c;
	char picked[64];
	if (client_conn_init(&c, server, token, &e) != 0)
		return cli_fail(cmd, &e);
	if (!ref) {
		if (trustee_pick_referendum(picked, &c, key, &e) != 0)
			return cli_fail(cmd, &e);
		ref = picked;
	}
	if (client_check_id("referendum", ref, &e) != 0)
		return cli_fail(cmd, &e);
	if (!strcmp(sub, "dkg")) {
		unsigned long long bs = 0;
		if (bad_share && cli_uint(bad_share, 1, URNA_MAX_TRUSTEES, &bs) != 0)
			return cli_usage_error(cmd, "--test-bad-share takes a trustee index");
		int r = trustee_dkg(&c, ref, key, index, !no_wait, (int)to, (uint32_t)bs, stdout, &e);
		if (r < 0)
			return cli_fail(cmd, &e);
		if (r == 1)
			printf("trustee %u: done for now; run again after `urna referendum key %s`\n", index, ref);
		return CLI_OK;
	}
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (trustee_decrypt(&c, ref, key, index, bad, cpus > 0 ? (int)cpus : 1, stdout, &e) != 0)
		return cli_fail(cmd, &e);
	return CLI_OK;
}
