/* verify.c: `urna verify RECORD_DIR [--json]` (docs/protocol.md s.9). Reads
 * RECORD_DIR/board.jsonl, replays it with every check (src/record/verifier.c),
 * compares results.json and results.csv when present with what it derives,
 * and prints a summary. Exit 0 when everything holds, 1 naming the first
 * entry at fault, 2 on usage errors or an unreadable folder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "record/entry.h"
#include "record/identity.h"
#include "client/results.h"
#include "crypto/encoding.h"
#include "record/board.h"
#include "record/results.h"
#include "record/file.h"
#include "record/verifier.h"

/* results.json / results.csv of dir, if present, must be what el gives. */
static int check_results(const election *el, const char *dir, urna_err *e)
{
	char path[4096];
	size_t len = 0;
	int rc = -1;
	json_t *have = NULL, *want = results_json(el);
	char *csv = NULL, *mine = NULL;

	snprintf(path, sizeof path, "%s/results.json", dir);
	if (access(path, F_OK) == 0) {
		if (!(have = file_read_json(path, (size_t)64 << 20, JSON_REJECT_DUPLICATES, e)))
			goto out;
		if (!want || !json_equal(have, want)) {
			err_set(e, URNA_E_MISMATCH, "results.json differs from the results derived from the board");
			goto out;
		}
	}
	snprintf(path, sizeof path, "%s/results.csv", dir);
	if (access(path, F_OK) == 0) {
		size_t ml = 0;
		if (!(csv = file_read(path, (size_t)64 << 20, &len, e)))
			goto out;
		mine = results_csv(el, &ml);
		if (!mine || ml != len || memcmp(mine, csv, len)) {
			err_set(e, URNA_E_MISMATCH, "results.csv differs from the results derived from the board");
			goto out;
		}
	}
	rc = 0;
out:
	json_decref(have);
	json_decref(want);
	free(csv);
	free(mine);
	return rc;
}

/* Calls f for every role of the referendum: its author name, role key,
 * entries on the board and what those are. */
typedef void (*role_fn)(void *arg, const char *by, const role_key *k, int entries, const char *what);
static void each_role(const election *el, role_fn f, void *arg)
{
	const referendum_body *rb = election_referendum(el);
	char by[URNA_BY_MAX];
	if (!rb)
		return;
	f(arg, "organizer", &rb->organizer, election_authored(el, "organizer"),
	  "the definition, regions, schedule changes, the key entry, the close and publish requests");
	for (size_t k = 0; k < rb->nauth; k++) {
		author_name(by, ROLE_AUTHORITY, (uint32_t)(k + 1));
		f(arg, by, &rb->authorities[k], election_authored(el, by), "credential lists and electorates");
	}
	for (uint32_t i = 1; i <= rb->n; i++) {
		author_name(by, ROLE_TRUSTEE, i);
		f(arg, by, &rb->trustees[i - 1], election_authored(el, by), "key ceremony messages and decryptions");
	}
	f(arg, "server", &rb->server, election_authored(el, "server"), "tallies, results and checkpoints");
}

static void role_line(void *arg, const char *by, const role_key *k, int entries, const char *what)
{
	char fp[URNA_FINGERPRINT_TEXT];
	(void)arg;
	key_fingerprint(fp, k->key);
	printf("  %-12s %s  %s: %d entries (%s)\n", by, fp, k->name, entries, what);
}

static void role_json(void *arg, const char *by, const role_key *k, int entries, const char *what)
{
	char fp[URNA_FINGERPRINT_TEXT];
	(void)what;
	key_fingerprint(fp, k->key);
	json_array_append_new(arg, json_pack("{s:s,s:s,s:s,s:i}", "by", by, "name", k->name, "fingerprint", fp,
	                                     "entries", entries));
}

static json_t *summary_json(const election *el)
{
	const referendum_body *rb = election_referendum(el);
	json_t *regs = json_array();
	uint8_t head[32];
	char hb[URNA_B64_32];
	uint64_t ballots = 0;
	for (size_t i = 0; i < election_nregions(el); i++) {
		region_info ri;
		election_region(el, i, &ri);
		ballots += ri.cast;
		json_t *o = json_pack("{s:s,s:I,s:I}", "id", ri.id, "electorate", (json_int_t)ri.electorate, "cast",
		                      (json_int_t)ri.cast);
		if (ri.tally)
			json_object_set_new(o, "counted", json_integer((json_int_t)ri.tally->counted));
		if (ri.result)
			json_object_set_new(o, "result", result_json(ri.result));
		json_array_append_new(regs, o);
	}
	election_head(el, head);
	b64url_encode(hb, head, 32);
	json_t *roles = json_array();
	each_role(el, role_json, roles);
	return json_pack("{s:b,s:s,s:I,s:s,s:I,s:s,s:o,s:o}", "ok", 1, "referendum", rb ? rb->id : "", "lines",
	                 (json_int_t)election_next_seq(el), "head", hb, "ballots", (json_int_t)ballots, "status",
	                 election_status(el, INT64_MAX / 2), "regions", regs, "roles", roles);
}

static void print_summary(const election *el, const char *lang)
{
	const referendum_body *rb = election_referendum(el);
	uint8_t head[32];
	char hb[URNA_B64_32];
	election_head(el, head);
	b64url_encode(hb, head, 32);
	printf("referendum %s: %llu lines, head %s\n", rb ? rb->id : "?", (unsigned long long)election_next_seq(el), hb);
	for (size_t i = 0; i < election_nregions(el); i++) {
		region_info ri;
		election_region(el, i, &ri);
		printf("  region %-12s electorate %llu, ballots %llu", ri.id, (unsigned long long)ri.electorate,
		       (unsigned long long)ri.cast);
		if (ri.tally)
			printf(", counted %llu", (unsigned long long)ri.tally->counted);
		printf("\n");
	}
	printf("who made each entry (each signed by its author's key, named in the referendum entry):\n");
	each_role(el, role_line, NULL);
	json_t *res = results_json(el); /* NULL before the results entries */
	if (res) {
		printf("\nthe results, as recomputed from the board:\n");
		results_print(stdout, res, lang);
		printf("\n");
	}
	json_decref(res);
	printf("verified: every check holds\n");
}

const char verify_usage[] =
	"urna verify RECORD_DIR [--json] [--lang en|ru]\n"
	"\n"
	"Rechecks a referendum's whole record (`urna export`) from its board\n"
	"alone: the hash chain and every signature, the definition and schedule,\n"
	"the credential lists, the key ceremony, every ballot's proofs, which\n"
	"ballots count, each tally as their sum, the decryptions and their\n"
	"proofs, the results; and results.json and results.csv against them.\n"
	"Exits 0 when every check holds, 1 naming the first entry at fault.\n"
	"\n"
	"  --json              the summary (or the fault) as JSON\n"
	"  --lang en|ru        the language of the recomputed results\n";

int cmd_verify(int argc, char **argv)
{
	const char *pos[1];
	int npos = 0, as_json = 0, rc = CLI_USAGE;
	const char *lang = "en";
	cli_opt opts[] = {{"json", 0, NULL, &as_json}, {"lang", 1, &lang, NULL}, {NULL, 0, NULL, NULL}};
	char path[4096];
	char *text = NULL;
	size_t len = 0;
	election *el = NULL;
	urna_err e = {0};
	verify_opts vo = {.threads = 2};

	if (cli_parse("verify", argc, argv, opts, pos, 1, &npos))
		return CLI_USAGE;
	if (npos != 1)
		return cli_usage("verify");
	if (!results_lang_ok(lang))
		return cli_usage_error("verify", "--lang: en or ru");
	snprintf(path, sizeof path, "%s/board.jsonl", pos[0]);
	if (!(text = file_read(path, VERIFY_BOARD_MAX, &len, &e))) {
		fprintf(stderr, "urna verify: %s\n", e.msg);
		return CLI_USAGE;
	}
	long nproc = sysconf(_SC_NPROCESSORS_ONLN);
	vo.threads = nproc >= 2 ? (int)(nproc > 8 ? 8 : nproc) : 1;
	vo.progress = isatty(2) && len > ((size_t)16 << 20);
	if (verify_board(text, len, &vo, &el, &e) || check_results(el, pos[0], &e)) {
		if (e.has_seq)
			fprintf(stderr, "urna verify: entry %llu (%s) at fault: %s: %s\n", (unsigned long long)e.seq,
			        verify_kind_at(text, len, e.seq), err_name(e.code), e.msg);
		else
			fprintf(stderr, "urna verify: %s: %s\n", err_name(e.code), e.msg);
		if (as_json) {
			json_t *o = json_pack("{s:b,s:s,s:s}", "ok", 0, "error", err_name(e.code), "message", e.msg);
			if (e.has_seq) {
				json_object_set_new(o, "seq", json_integer((json_int_t)e.seq));
				json_object_set_new(o, "kind", json_string(verify_kind_at(text, len, e.seq)));
			}
			char *s = canon_encode(o, NULL);
			printf("%s\n", s ? s : "{}");
			free(s);
			json_decref(o);
		}
		rc = CLI_FAIL;
		goto out;
	}
	if (as_json) {
		json_t *o = summary_json(el);
		char *s = json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS);
		printf("%s\n", s ? s : "{}");
		free(s);
		json_decref(o);
	} else {
		print_summary(el, lang);
	}
	rc = CLI_OK;
out:
	election_free(el);
	free(text);
	return rc;
}
