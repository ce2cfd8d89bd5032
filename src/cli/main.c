/* main.c: the `urna` program. The table below is its table of contents. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "crypto/group.h"

const struct command commands[] = {
	{"serve", cmd_serve, "the referendum server", serve_usage},
	{"keygen", cmd_keygen, "a role's identity key (organizer, authority, trustee, server)", keygen_usage},
	{"referendum", cmd_referendum, "the organizer: create, schedule, key, list, show", referendum_usage},
	{"credentials", cmd_credentials, "the credential authority: generate, upload, check", credentials_usage},
	{"trustee", cmd_trustee, "a trustee: dkg, decrypt, check", trustee_usage},
	{"vote", cmd_vote, "a voter: cast a ballot (or audit one)", vote_usage},
	{"audit-ballot", cmd_audit_ballot, "check a Benaloh audit file", audit_ballot_usage},
	{"receipt", cmd_receipt, "a voter: check a ballot receipt against the board", receipt_usage},
	{"tally", cmd_tally, "after the close, add up the counted ballots", tally_usage},
	{"publish", cmd_publish, "at announce_at, publish the results", publish_usage},
	{"results", cmd_results, "the results table", results_usage},
	{"export", cmd_export, "a referendum's record folder", export_usage},
	{"verify", cmd_verify, "recheck a referendum's whole record", verify_usage},
	{"clock", cmd_clock, "the server's clock, in a referendum's zone", clock_usage},
	{"demo", cmd_demo, "two referendums end to end on a local server", demo_usage},
	{"bench", cmd_bench, "measure speed on this machine", bench_usage},
	{NULL, NULL, NULL, NULL},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: urna COMMAND [ARGS...]   (urna help COMMAND: its usage)\n\ncommands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  %-14s %s\n", c->name, c->summary);
}

static const struct command *find(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (!strcmp(name, c->name))
			return c;
	return NULL;
}

static int is_help(const char *a)
{
	return !strcmp(a, "-h") || !strcmp(a, "--help") || !strcmp(a, "help");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *asked = NULL; /* the command whose usage is asked for */
	if (is_help(argv[1])) {
		if (argc == 2 || (argc == 3 && is_help(argv[2]))) {
			usage(stdout);
			return 0;
		}
		if (argc > 3) {
			fputs("urna: help takes one command (see 'urna help')\n", stderr);
			return 2;
		}
		asked = argv[2];
	} else {
		/* urna CMD ... --help ...: an option value that is "--help" is
		 * taken as the question too, as most tools do. */
		for (int i = 2; i < argc && strcmp(argv[i], "--"); i++)
			if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
				asked = argv[1];
	}
	const struct command *c = find(asked ? asked : argv[1]);
	if (!c) {
		fprintf(stderr, "urna: unknown command '%s' (see 'urna help')\n", asked ? asked : argv[1]);
		return 2;
	}
	if (asked) {
		cli_print_usage(stdout, c->name);
		return 0;
	}
	if (crypto_setup() != 0) {
		fprintf(stderr, "urna: cannot initialise libsodium\n");
		return 1;
	}
	return c->run(argc - 1, argv + 1);
}
