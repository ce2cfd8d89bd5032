/* trustee.c: `urna trustee dkg|decrypt|check`: a trustee's steps
 * (src/client/trustee.c). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "client/trustee.h"

const char trustee_usage[] =
	"urna trustee dkg [--referendum ID] --key KEYFILE [--no-wait] [--timeout S] [--server URL]\n"
	"urna trustee decrypt [--referendum ID] --key KEYFILE [--server URL]\n"
	"urna trustee check [--referendum ID] --key KEYFILE [--server URL]\n"
	"\n"
	"A trustee's part, under its identity key (urna keygen --role trustee; the\n"
	"organizer names its .pub in the spec, and where it stands there is the\n"
	"trustee's index). Every entry it posts, it signs. dkg takes part in the key\n"
	"ceremony: it posts the commitment, then the encrypted shares, checks the\n"
	"shares dealt to it and complains about a bad one, and waits (up to\n"
	"--timeout seconds, default 600) until the election key is fixed; --no-wait\n"
	"posts what it can and returns. It stops when the board holds an entry in\n"
	"its name that it did not post, or leaves it out of the qualified trustees.\n"
	"decrypt, after the tally, verifies the whole board and posts the trustee's\n"
	"decryption shares with their proofs. check verifies the whole board and\n"
	"the trustee's own part of it: its entries, its place among the qualified,\n"
	"its verification key, its decryptions (exit 0 when all hold, 1 naming the\n"
	"first that fails).\n"
	"\n"
	"What a trustee keeps of a referendum (its secret polynomial, then its key\n"
	"share, and the hash of every entry it posted) is the file KEYFILE without\n"
	".key, then .ID.dkg (t1.key: t1.ID.dkg), mode 0600: keep it secret and keep\n"
	"it. Without --referendum: the one such a file exists for, else the only one\n"
	"on the server.\n"
	"\n"
	"  --key KEYFILE       the trustee's identity key file (urna keygen --role trustee)\n"
	"  --timeout S         how long dkg waits for the other trustees and the key entry\n"
	"  --server URL        the server (default $URNA_SERVER, else " HTTP_DEFAULT_SERVER ")\n"
	"  --test-bad-proof, --test-bad-share j   misbehave, for tests of the checks\n";

int cmd_trustee(int argc, char **argv)
{
	const char *sub = argc >= 2 ? argv[1] : "";
	const char *server = NULL, *ref = NULL, *key = NULL, *timeout = NULL, *bad_share = NULL;
	int no_wait = 0, bad = 0;
	cli_opt opts[] = {
		{"server", 1, &server, NULL},     {"referendum", 1, &ref, NULL},
		{"key", 1, &key, NULL},           {"timeout", 1, &timeout, NULL},
		{"no-wait", 0, NULL, &no_wait},   {"test-bad-proof", 0, NULL, &bad},
		{"test-bad-share", 1, &bad_share, NULL}, {NULL, 0, NULL, NULL},
	};
	char cmd[32];
	snprintf(cmd, sizeof cmd, "trustee %s", sub);
	if (strcmp(sub, "dkg") && strcmp(sub, "decrypt") && strcmp(sub, "check"))
		return cli_usage("trustee");
	if (cli_parse(cmd, argc - 1, argv + 1, opts, NULL, 0, NULL) != 0)
		return CLI_USAGE;
	if (!key)
		return cli_usage_error(cmd, "--key KEYFILE is required (the trustee's identity key: urna keygen --role trustee)");
	unsigned long long to = 600, bs = 0;
	if (timeout && cli_uint(timeout, 1, 86400, &to) != 0)
		return cli_usage_error(cmd, "--timeout must be 1..86400 seconds");
	if (bad_share && cli_uint(bad_share, 1, URNA_MAX_TRUSTEES, &bs) != 0)
		return cli_usage_error(cmd, "--test-bad-share takes a trustee index");
	urna_err e = {0};
	client_conn c;
	char picked[64];
	if (client_conn_init(&c, server, NULL, &e) != 0)
		return cli_fail(cmd, &e);
	if (!ref) {
		if (trustee_pick_referendum(picked, &c, key, &e) != 0)
			return cli_fail(cmd, &e);
		ref = picked;
	}
	if (client_check_id("referendum", ref, &e) != 0)
		return cli_fail(cmd, &e);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int threads = cpus > 0 ? (int)cpus : 1;
	if (!strcmp(sub, "dkg")) {
		int r = trustee_dkg(&c, ref, key, !no_wait, (int)to, (uint32_t)bs, stdout, &e);
		if (r < 0)
			return cli_fail(cmd, &e);
		if (r == 1)
			printf("done for now: run urna trustee dkg again after the organizer's `urna referendum key %s`\n", ref);
		return CLI_OK;
	}
	if (!strcmp(sub, "decrypt"))
		return trustee_decrypt(&c, ref, key, bad, threads, stdout, &e) != 0 ? cli_fail(cmd, &e) : CLI_OK;
	int r = trustee_check(&c, ref, key, threads, stdout, &e);
	if (r == 1) {
		cli_fail(cmd, &e); /* a check that fails is a difference found, whatever its code */
		return CLI_FAIL;
	}
	return r < 0 ? cli_fail(cmd, &e) : CLI_OK;
}
