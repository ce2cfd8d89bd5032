/* receipt.c: `urna receipt check RECEIPT (RECORD_DIR | --server URL)`: a
 * ballot receipt held to a board (src/client/receipt.c, docs/protocol.md
 * s.18). Prints the verdict and what it means; the exit code is the
 * verdict. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "client/receipt.h"
#include "crypto/encoding.h"

const char receipt_usage[] =
	"urna receipt check RECEIPT (RECORD_DIR | --server URL)\n"
	"\n"
	"Checks a ballot receipt (the file `urna vote --receipt` or the booth\n"
	"saved) against a referendum's board: a record folder (`urna export`) or\n"
	"the board on a server. The receipt must be signed by the server key that\n"
	"the board's first entry names; then its ballot must be the board's entry\n"
	"at the receipt's seq, and the board up to it the one the server signed.\n"
	"Says whether the ballot is the last of its credential (the one counted).\n"
	"\n"
	"Exit codes:\n"
	"  0  the ballot is on the board as receipted\n"
	"  1  the receipt is valid but the board does not hold the ballot where the\n"
	"     server signed it would be (missing, moved or rewritten): the receipt\n"
	"     is the evidence; keep it unchanged and show it\n"
	"  2  not a receipt of this board: malformed, another referendum's, or not\n"
	"     signed by this board's server key (forged or altered)\n"	"A board that cannot be read is said so: exit 2 for a folder or referendum\n"
	"that is not there, 1 when the server cannot be reached.\n"
	"\n"
	"  --server URL        the server to fetch the board from\n";

static void say_key(const char *what, const uint8_t k[static 32])
{
	char b[URNA_B64_32];
	b64url_encode(b, k, 32);
	printf("  %-22s %s\n", what, b);
}

int cmd_receipt(int argc, char **argv)
{
	const char *sub = argc >= 2 ? argv[1] : "", *server = NULL, *pos[2];
	int np = 0;
	cli_opt opts[] = {{"server", 1, &server, NULL}, {NULL, 0, NULL, NULL}};
	urna_err e = {0};
	receipt r;
	receipt_report rep;
	client_conn c;
	char ttext[URNA_TRACKER_TEXT];

	if (strcmp(sub, "check"))
		return cli_usage("receipt");
	if (cli_parse("receipt check", argc - 1, argv + 1, opts, pos, 2, &np) != 0)
		return CLI_USAGE;
	if (np < 1 || (np == 2) == (server != NULL))
		return cli_usage("receipt");
	if (receipt_read(&r, pos[0], &e) != 0) {
		printf("%s: REFUSED: not a receipt: %s\n", pos[0], e.msg);
		return CLI_USAGE;
	}
	if (server ? client_conn_init(&c, server, NULL, &e) != 0 || receipt_check_server(&rep, &r, &c, &e) != 0
	           : receipt_check_dir(&rep, &r, pos[1], &e) != 0) {
		fprintf(stderr, "urna receipt check: cannot read the board of %s to check the receipt against: %s\n",
		        r.referendum, e.msg);
		/* as `urna verify` for a folder; as any client for a server */
		int ec = cli_exit(e.code);
		return server ? (ec ? ec : CLI_FAIL) : CLI_USAGE;
	}
	tracker_text(ttext, r.tracker);
	printf("receipt %s: referendum %s, entry %llu, tracker %s\n", pos[0], r.referendum,
	       (unsigned long long)r.seq, ttext);
	if (rep.key_differs) {
		printf("the receipt's server key differs from the one on this board's first entry:\n");
		say_key("the receipt's key:", r.server_key);
		say_key("the board's key:", rep.board_key);
	}
	if (rep.fault_seq >= 0)
		printf("the board breaks at entry %lld (%s): `urna verify` names the fault; what follows is about the "
		       "entries before it\n", (long long)rep.fault_seq, rep.fault);
	switch (rep.verdict) {
	case RECEIPT_ON_BOARD:
		printf("ON THE BOARD: %s.\n", rep.why);
		if (rep.last_for_credential < 0)
			printf("Whether it is the last ballot of its credential cannot be said: the board breaks after it.\n");
		else if (!rep.last_for_credential)
			printf("It is NOT the last ballot of its credential: a later ballot with the same credential "
			       "replaces it%s. If you voted again, check that ballot's receipt.\n",
			       rep.counted == 0 ? " and is the one counted" : "");
		else if (rep.counted == 1)
			printf("It is the last ballot of its credential, and the tally on the board counts it.\n");
		else
			printf("It is the last ballot of its credential: the one the tally will count.\n");
		return CLI_OK;
	case RECEIPT_NOT_ON_BOARD:
		printf("NOT ON THE BOARD AS RECEIPTED: the receipt is valid (signed by this board's server key), but %s.\n",
		       rep.why);
		printf("This signed receipt is the evidence: keep the file %s exactly as it is (a copy is as good,\n"
		       "an edited one is worthless), and show it with this board to the referendum's observers or\n"
		       "election commission and to anyone who checks the record: the server signed that the ballot\n"
		       "%s was entry %llu, and this board disagrees. `urna receipt check` repeats this for anyone.\n",
		       pos[0], ttext, (unsigned long long)r.seq);
		return CLI_FAIL;
	case RECEIPT_REFUSED:
	default:
		printf("REFUSED: %s.\n", rep.why);
		return CLI_USAGE;
	}
}
