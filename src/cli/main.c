/* main.c: the `urna` program. The table below is its table of contents. */
#include <stdio.h>
#include <string.h>
#include "cli/commands.h"
#include "crypto/group.h"

const struct command commands[] = {
	/* Add each subcommand here once src/cli/NAME.c implements it. */
	{"serve", cmd_serve, "serve --db FILE [--listen ADDR:PORT] [--admin-token-file F]: the referendum server", 1},
	{"verify", cmd_verify, "verify RECORD_DIR [--json] [--lang ru]: recheck a referendum's whole record", 0},
	{"bench", cmd_bench, "bench crypto|verify|intake [--json]: measure speed on this machine", 0},
	{"referendum", cmd_referendum, "referendum create SPEC.json|schedule ID|key ID|list|show ID: the organizer's calls", 0},
	{"credentials", cmd_credentials, "credentials generate|upload: make voters' credentials, publish the public list", 0},
	{"trustee", cmd_trustee, "trustee keygen|dkg|decrypt --index i --key KEYFILE: a trustee's part", 0},
	{"vote", cmd_vote, "vote --referendum ID --region R --credential CRED --choice N: cast a ballot", 0},
	{"audit-ballot", cmd_audit_ballot, "audit-ballot FILE: check a Benaloh audit file", 0},
	{"tally", cmd_tally, "tally --referendum ID: after the close, add up the counted ballots", 0},
	{"publish", cmd_publish, "publish --referendum ID: at announce_at, publish the results", 0},
	{"results", cmd_results, "results --referendum ID | RECORD_DIR: the results table", 0},
	{"clock", cmd_clock, "clock [set LOCAL-TIME] [--referendum ID]: the server's clock in the referendum's zone", 1},
	{"export", cmd_export, "export --referendum ID --out DIR [--db FILE]: the record folder", 0},
	{"demo", cmd_demo, "demo [--voters N] [--threads N] [--dir D] [--lang ru]: two referendums end to end on a local server", 0},
	{NULL, NULL, NULL, 0},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: urna COMMAND [ARGS...]\n\ncommands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  %-14s %s\n", c->name, c->help);
}

static const struct command *find(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (!strcmp(name, c->name))
			return c;
	return NULL;
}

/* `urna help CMD` and `urna CMD --help`: the command's own usage where it
 * has one, else its line of the table. */
static int help(const struct command *c)
{
	if (c->own_help)
		return c->run(2, (char *[]){(char *)c->name, "--help", NULL});
	printf("usage: urna %s\n", c->help);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	int general = !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help");
	if (general && argc == 2) {
		usage(stdout);
		return 0;
	}
	/* urna help CMD, urna CMD --help */
	const char *asked = general && argc == 3 ? argv[2]
	                    : argc == 3 && (!strcmp(argv[2], "-h") || !strcmp(argv[2], "--help")) ? argv[1]
	                                                                                     : NULL;
	if (asked && (!strcmp(asked, "help") || !strcmp(asked, "-h") || !strcmp(asked, "--help"))) {
		usage(stdout);
		return 0;
	}
	if (asked || general) {
		const struct command *h = asked ? find(asked) : NULL;
		if (h)
			return help(h);
		if (asked)
			fprintf(stderr, "urna: unknown command '%s' (see 'urna help')\n", asked);
		else
			fputs("urna: help takes one command (see 'urna help')\n", stderr);
		return 2;
	}
	if (crypto_setup() != 0) {
		fprintf(stderr, "urna: cannot initialise libsodium\n");
		return 1;
	}
	const struct command *c = find(argv[1]);
	if (c)
		return c->run(argc - 1, argv + 1);
	fprintf(stderr, "urna: unknown command '%s' (see 'urna help')\n", argv[1]);
	return 2;
}
