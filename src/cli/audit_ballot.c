/* audit_ballot.c: `urna audit-ballot FILE`: checks a Benaloh audit file
 * (docs/protocol.md s.16): each ciphertext encrypts the shown choice with
 * the revealed randomness, and the proofs and the signature verify. */
#include <string.h>
#include "client/booth.h"
#include "cli/cli.h"
#include "cli/commands.h"

const char audit_ballot_usage[] =
	"urna audit-ballot FILE\n"
	"\n"
	"Checks a Benaloh audit file (`urna vote --audit FILE`, or the booth's\n"
	"\"audit this ballot\"): each ciphertext encrypts the shown selection with\n"
	"the revealed randomness, and the ballot's proofs and signature verify.\n"
	"Prints the selections; exits 1 when the file does not hold.\n";

int cmd_audit_ballot(int argc, char **argv)
{
	const char *file = NULL;
	int np = 0;
	cli_opt opts[] = {{NULL, 0, NULL, NULL}};
	if (cli_parse("audit-ballot", argc, argv, opts, &file, 1, &np) != 0)
		return CLI_USAGE;
	if (np != 1)
		return cli_usage("audit-ballot");
	json_error_t je;
	json_t *audit = json_load_file(file, JSON_REJECT_DUPLICATES, &je);
	if (!audit)
		return cli_usage_error("audit-ballot", "%s: %s (line %d)", file, je.text, je.line);
	urna_err e = {0};
	booth_answers a;
	int rc;
	if (booth_audit_check(audit, &a, &e) != 0) {
		fprintf(stderr, "urna audit-ballot: %s: FAILED: %s\n", file, e.msg);
		rc = cli_exit(e.code) ? cli_exit(e.code) : CLI_FAIL;
		if (rc == CLI_USAGE && e.code != URNA_E_MALFORMED)
			rc = CLI_FAIL;
		goto out;
	}
	json_t *m = json_loads(json_string_value(json_object_get(audit, "manifest")), 0, NULL);
	printf("%s: audit OK, the ballot encrypts exactly these selections:\n", file);
	for (uint32_t q = 0; q < a.nq; q++) {
		json_t *Q = json_array_get(json_object_get(m, "questions"), q);
		json_t *qt = json_object_get(Q, "text");
		const char *t = json_string_value(json_object_get(qt, "en"));
		printf("  question %u%s%s:", q + 1, t ? " " : "", t ? t : "");
		int any = 0;
		for (uint32_t k = 0; k < URNA_MAX_CHOICES; k++)
			if (a.sel[q][k]) {
				json_t *ct = json_array_get(json_object_get(Q, "choices"), k);
				const char *cs = json_string_value(json_object_get(ct, "en"));
				printf(" %u%s%s%s", k + 1, cs ? " (" : "", cs ? cs : "", cs ? ")" : "");
				any = 1;
			}
		printf("%s\n", any ? "" : " blank");
	}
	json_decref(m);
	rc = CLI_OK;
out:
	json_decref(audit);
	return rc;
}
