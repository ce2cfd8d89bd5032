/* vote.c: `urna vote`: the command-line booth. Fetches the region's manifest
 * and the election key, encrypts, proves and signs (booth.c), casts, and
 * prints the tracker and the server's signed receipt (saved with
 * `--receipt FILE`). `--audit FILE` instead writes a Benaloh audit file
 * of the ballot unsigned and does not cast it (an audited ballot is never
 * signed, so it cannot be cast; the tracker is the same either way). */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "client/booth.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "client/credentials.h"
#include "client/receipt.h"
#include "crypto/encoding.h"
#include "record/file.h"

const char vote_usage[] =
	"urna vote --referendum ID --region R --credential CRED (--choice N | --answers '1;2,3;')\n"
	"          [--receipt FILE] [--save FILE] [--audit FILE] [--server URL]\n"
	"\n"
	"The command-line booth: fetches the region's question and the election\n"
	"key, encrypts the choice, proves it allowed, signs with the credential\n"
	"and casts it; prints the tracker to find it on the board, and the\n"
	"server's signed receipt: keep it, `urna receipt check` holds the board\n"
	"to it. A later ballot with the same credential replaces this one.\n"
	"\n"
	"  --choice N          one question: choice N (from 1); 0 is a blank vote\n"
	"                      where the question allows one (its min is 0)\n"
	"  --answers A         several questions, ';' between them, ',' between choices\n"
	"  --receipt FILE      save the receipt to FILE (else it is printed)\n"
	"  --save FILE         also keep the ballot as sent\n"
	"  --audit FILE        write a Benaloh audit file of the unsigned ballot\n"
	"                      instead (it cannot be cast), and do NOT cast\n"
	"  --server URL        the server (default $URNA_SERVER, else " HTTP_DEFAULT_SERVER ")\n"
;

int cmd_vote(int argc, char **argv)
{
	const char *server = NULL, *ref = NULL, *region = NULL, *cred = NULL, *choice = NULL, *answers = NULL;
	const char *save = NULL, *audit_path = NULL, *receipt_path = NULL;
	cli_opt opts[] = {
		{"server", 1, &server, NULL},   {"referendum", 1, &ref, NULL}, {"region", 1, &region, NULL},
		{"credential", 1, &cred, NULL}, {"choice", 1, &choice, NULL},  {"answers", 1, &answers, NULL},
		{"save", 1, &save, NULL},       {"audit", 1, &audit_path, NULL}, {"receipt", 1, &receipt_path, NULL},
		{NULL, 0, NULL, NULL},
	};
	if (cli_parse("vote", argc, argv, opts, NULL, 0, NULL) != 0)
		return CLI_USAGE;
	if (!ref || !region || !cred || (!choice == !answers))
		return cli_usage("vote");
	urna_err e = {0};
	client_conn c;
	booth_ctx ctx = {0};
	booth_answers a;
	uint8_t x[32], X[32], tracker[32];
	char *ballot = NULL;
	size_t len = 0;
	json_t *audit = NULL, *ans = NULL, *refobj = NULL;
	char *rtext = NULL;
	int rc = CLI_FAIL;
	/* The credential is checked before anything goes on the wire. */
	if (client_conn_init(&c, server, NULL, &e) != 0 || client_check_id("referendum", ref, &e) != 0 ||
	    client_check_id("region", region, &e) != 0 || credential_derive(x, X, ref, region, cred, &e) != 0 ||
	    booth_fetch(&ctx, &c, ref, region, &e) != 0 ||
	    booth_answers_parse(&a, &ctx.rm, choice ? choice : answers, &e) != 0 ||
	    booth_build(&ballot, &len, tracker, audit_path ? &audit : NULL, &ctx, &a, x, X, &e) != 0)
		goto fail;
	char ttext[URNA_TRACKER_TEXT], tb64[URNA_B64_32];
	tracker_text(ttext, tracker);
	b64url_encode(tb64, tracker, 32);
	if (audit_path) {
		char *txt = json_dumps(audit, JSON_INDENT(1) | JSON_SORT_KEYS);
		size_t tl = txt ? strlen(txt) : 0;
		if (!txt) {
			err_set(&e, URNA_E_IO, "out of memory");
			goto fail;
		}
		txt[tl] = '\n';
		int w = file_write(audit_path, txt, tl + 1, 0600, &e);
		free(txt);
		if (w != 0)
			goto fail;
		printf("audit file written to %s; this ballot was NOT signed nor cast (tracker %s).\n"
		       "Check it with `urna audit-ballot %s`, then vote again to cast a fresh ballot.\n",
		       audit_path, ttext, audit_path);
		rc = CLI_OK;
		goto out;
	}
	if (save && file_write(save, ballot, len, 0600, &e) != 0)
		goto fail;
	/* The key the receipt must be signed with, asked before casting so that
	 * nothing stands between the server's answer and keeping its receipt. */
	uint8_t skey[32];
	const char *sk;
	if (client_get_referendum(&c, ref, &refobj, &e) != 0)
		goto fail;
	sk = json_string_value(json_object_get(refobj, "server_key"));
	if (!sk || b64url_decode(skey, 32, sk, strlen(sk)) != 0) {
		err_set(&e, URNA_E_MALFORMED, "the referendum has no server_key to check the receipt with");
		goto fail;
	}
	int status = 0;
	if (booth_cast(&c, &ctx, ballot, len, &ans, &status, &e) != 0)
		goto fail;
	printf("ballot %s (board entry %lld)\ntracker: %s\n         (on the board as %s)\n",
	       status == 200 ? "was already on the board" : "cast",
	       (long long)json_integer_value(json_object_get(ans, "seq")), ttext, tb64);
	printf("check it: %s/tracker.html?ref=%s&tracker=%s\n", c.srv.base, ref, ttext);
	/* The receipt: checked against the referendum's server key before it is
	 * kept. Printed when no --receipt FILE is named, so that it is never
	 * lost and nothing is written where the voter did not ask (the tests
	 * and the demo run many voters in one folder). */
	receipt rcpt;
	if (receipt_of_answer(&rcpt, ans, tracker, skey, &e) != 0) {
		char *raw = json_dumps(json_object_get(ans, "receipt"), JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
		fprintf(stderr, "urna vote: WARNING: the ballot was cast (tracker %s), but the server's receipt does not "
		        "hold: %s\nthe server's answer: %s\n", ttext, e.msg, raw ? raw : "(none)");
		free(raw);
		rc = CLI_FAIL;
		goto out;
	}
	json_t *rj = receipt_json(&rcpt);
	size_t rl = 0;
	if (!rj || !(rtext = canon_encode(rj, &rl))) {
		json_decref(rj);
		err_set(&e, URNA_E_IO, "out of memory");
		goto fail;
	}
	json_decref(rj);
	rtext[rl] = '\n';
	if (receipt_path) {
		if (file_write(receipt_path, rtext, rl + 1, 0600, &e) != 0) {
			printf("receipt (NOT saved, keep it):\n%.*s\n", (int)rl, rtext);
			goto fail;
		}
		printf("receipt: saved to %s (signed by the server: keep it)\n"
		       "check the receipt: urna receipt check %s --server %s\n", receipt_path, receipt_path, c.srv.base);
	} else {
		printf("receipt (signed by the server; keep it, or save it with --receipt FILE, and check it with\n"
		       "`urna receipt check FILE --server %s`):\n%.*s\n", c.srv.base, (int)rl, rtext);
	}
	rc = CLI_OK;
	goto out;
fail:
	rc = cli_fail("vote", &e);
out:
	sodium_memzero(x, sizeof x);
	free(ballot);
	json_decref(audit);
	json_decref(ans);
	json_decref(refobj);
	free(rtext);
	booth_ctx_free(&ctx);
	return rc;
}
