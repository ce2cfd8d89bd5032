/* main.c: the `urna` program. The table below is its table of contents. */
#include <stdio.h>
#include <string.h>
#include "cli/commands.h"
#include "crypto/group.h"

const struct command commands[] = {
	/* Add each subcommand here once src/cli/NAME.c implements it. */
	{"serve", cmd_serve, "serve --db FILE [--listen ADDR:PORT] [--admin-token-file F]: the referendum server"},
	{"verify", cmd_verify, "verify RECORD_DIR [--json]: recheck a referendum's whole record"},
	{"bench", cmd_bench, "bench crypto|verify|intake [--json]: measure speed on this machine"},
	{"referendum", cmd_referendum, "referendum create SPEC.json|schedule ID|key ID|list|show ID: the organizer's calls"},
	{"credentials", cmd_credentials, "credentials generate|upload: make voters' credentials, publish the public list"},
	{"trustee", cmd_trustee, "trustee keygen|dkg|decrypt --index i --key KEYFILE: a trustee's part"},
	{"vote", cmd_vote, "vote --referendum ID --region R --credential CRED --choice N: cast a ballot"},
	{"audit-ballot", cmd_audit_ballot, "audit-ballot FILE: check a Benaloh audit file"},
	{"tally", cmd_tally, "tally --referendum ID: after the close, add up the counted ballots"},
	{"publish", cmd_publish, "publish --referendum ID: at announce_at, publish the results"},
	{"results", cmd_results, "results --referendum ID | RECORD_DIR: the results table"},
	{"export", cmd_export, "export --referendum ID --out DIR [--db FILE]: the record folder"},
	{"demo", cmd_demo, "demo [--voters N] [--threads N] [--dir D] [--lang ru]: two referendums end to end on a local server"},
	{NULL, NULL, NULL},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: urna COMMAND [ARGS...]\n\ncommands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  %-14s %s\n", c->name, c->help);
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (crypto_setup() != 0) {
		fprintf(stderr, "urna: cannot initialise libsodium\n");
		return 1;
	}
	for (const struct command *c = commands; c->name; c++)
		if (!strcmp(argv[1], c->name))
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "urna: unknown command '%s' (see 'urna help')\n", argv[1]);
	return 2;
}
