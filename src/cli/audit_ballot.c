/* audit_ballot.c: `urna audit-ballot FILE`: checks a Benaloh audit file
 * (docs/protocol.md s.16) with the record layer's audit_check and prints the
 * selections its ballot encrypts. */
#include <stdlib.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "record/audit.h"
#include "record/file.h"

const char audit_ballot_usage[] =
	"urna audit-ballot FILE\n"
	"\n"
	"Checks a Benaloh audit file (`urna vote --audit FILE`, or the booth's\n"
	"\"audit this ballot\"): each ciphertext encrypts the shown selection with\n"
	"the revealed randomness, and the ballot's proofs verify. The ballot is\n"
	"unsigned, so it can never be cast; a signed one is refused.\n"
	"Prints the selections; exits 1 when the file does not hold, 2 when it is\n"
	"not an audit file.\n";

/* The English text of a text object (s.10), or NULL. */
static const char *en(const json_t *text)
{
	return json_string_value(json_object_get(text, "en"));
}

int cmd_audit_ballot(int argc, char **argv)
{
	const char *file = NULL;
	int np = 0;
	cli_opt opts[] = {{NULL, 0, NULL, NULL}};
	if (cli_parse("audit-ballot", argc, argv, opts, &file, 1, &np) != 0)
		return CLI_USAGE;
	if (np != 1)
		return cli_usage("audit-ballot");
	urna_err e = {0};
	size_t len;
	char *text = file_read(file, URNA_AUDIT_MAX, &len, &e);
	if (!text && e.code != URNA_E_TOO_LARGE)
		return cli_usage_error("audit-ballot", "%s: %s", file, e.msg);
	audit_result a;
	int rc = text ? audit_check(&a, text, len, &e) : -1;
	free(text);
	if (rc != 0) {
		fprintf(stderr, "urna audit-ballot: %s: FAILED: %s\n", file, e.msg);
		/* 2 for a file that is not an audit file, 1 for one that does not hold. */
		return e.code == URNA_E_MALFORMED ? CLI_USAGE : CLI_FAIL;
	}
	const json_t *qs = json_object_get(a.manifest, "questions");
	printf("%s: audit OK, the ballot encrypts exactly these selections:\n", file);
	for (uint32_t q = 0; q < a.m.nq; q++) {
		const json_t *Q = json_array_get(qs, q);
		const char *t = en(json_object_get(Q, "text"));
		printf("  question %u%s%s:", q + 1, t ? " " : "", t ? t : "");
		int any = 0;
		for (uint32_t k = 0; k < a.m.m[q]; k++)
			if (a.sel[q][k]) {
				const char *cs = en(json_array_get(json_object_get(Q, "choices"), k));
				printf(" %u%s%s%s", k + 1, cs ? " (" : "", cs ? cs : "", cs ? ")" : "");
				any = 1;
			}
		printf("%s\n", any ? "" : " blank");
	}
	audit_result_free(&a);
	return CLI_OK;
}
