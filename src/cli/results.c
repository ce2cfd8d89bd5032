/* results.c: `urna results --referendum ID | RECORD_DIR`: a table per
 * region from the board's result entries and manifests: counts per choice,
 * blank, cast, counted (after re-voting), electorate, turnout, and each
 * choice's share of the valid votes to one decimal. */
#include <string.h>
#include <sys/stat.h>
#include "cli/board_client.h"
#include "cli/commands.h"
#include "cli/demo_plan.h"
#include "cli/results.h"

static const char *text_in(json_t *t, const char *lang)
{
	const char *s = json_string_value(json_object_get(t, lang));
	if (!s)
		s = json_string_value(json_object_get(t, "en"));
	if (!s)
		s = json_string_value(t);
	return s ? s : "";
}

/* Prints s left-aligned in width columns, counting UTF-8 characters. */
static void put_padded(FILE *f, const char *s, int width)
{
	int chars = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		chars += (*p & 0xC0) != 0x80;
	fputs(s, f);
	for (; chars < width; chars++)
		fputc(' ', f);
}

static void pct(char out[16], uint64_t part, uint64_t whole)
{
	uint32_t t = pct_tenths(part, whole);
	if (whole)
		snprintf(out, 16, "%u.%u%%", t / 10, t % 10);
	else
		snprintf(out, 16, "-");
}

int results_print(FILE *f, const board_view *b, const char *lang, int *nres)
{
	int n = 0;
	const char *title = b->n ? text_in(json_object_get(b->v[0].j, "title"), lang) : "";
	fprintf(f, "Results of %s: %s\n", b->n ? json_string_value(json_object_get(b->v[0].j, "id")) : "?", title);
	for (size_t i = 0; i < b->n; i++) {
		const board_line *l = &b->v[i];
		if (strcmp(l->kind, "result"))
			continue;
		n++;
		const board_line *rl = board_region(b, l->region);
		json_t *m = rl ? rl->j : NULL;
		uint64_t cast = (uint64_t)json_integer_value(json_object_get(l->j, "cast"));
		uint64_t counted = (uint64_t)json_integer_value(json_object_get(l->j, "counted"));
		uint64_t elect = (uint64_t)json_integer_value(json_object_get(l->j, "electorate"));
		char tp[16];
		pct(tp, counted, elect);
		fprintf(f, "\n%s (%s)\n  electorate %llu, ballots cast %llu, counted after re-voting %llu, turnout %s\n",
		        text_in(json_object_get(m, "name"), lang), l->region, (unsigned long long)elect,
		        (unsigned long long)cast, (unsigned long long)counted, tp);
		size_t q;
		json_t *rq;
		json_array_foreach(json_object_get(l->j, "questions"), q, rq) {
			json_t *mq = json_array_get(json_object_get(m, "questions"), q);
			json_t *counts = json_object_get(rq, "counts");
			uint64_t valid = 0;
			size_t k;
			json_t *cv;
			json_array_foreach(counts, k, cv) valid += (uint64_t)json_integer_value(cv);
			fprintf(f, "  Q%zu. %s\n", q + 1, text_in(json_object_get(mq, "text"), lang));
			json_array_foreach(counts, k, cv) {
				char p[16];
				pct(p, (uint64_t)json_integer_value(cv), valid);
				fputs("    ", f);
				put_padded(f, text_in(json_array_get(json_object_get(mq, "choices"), k), lang), 36);
				fprintf(f, " %9lld  %7s of valid votes\n", (long long)json_integer_value(cv), p);
			}
			fprintf(f, "    %-36s %9lld\n", "blank", (long long)json_integer_value(json_object_get(rq, "blank")));
		}
	}
	if (nres)
		*nres = n;
	if (n == 0)
		fprintf(f, "\n(no results on the board yet)\n");
	return 0;
}

int cmd_results(int argc, char **argv)
{
	const char *server = NULL, *ref = NULL, *dir = NULL, *lang = "en";
	cli_opt opts[] = {{"server", 1, &server, NULL}, {"referendum", 1, &ref, NULL}, {"lang", 1, &lang, NULL},
	                  {NULL, 0, NULL, NULL}};
	int np = 0;
	if (cli_parse("results", argc, argv, opts, &dir, 1, &np) != 0)
		return CLI_USAGE;
	if (!ref == !dir)
		return cli_usage_error("results", "usage: urna results --referendum ID [--server URL] | urna results RECORD_DIR  [--lang ru]");
	urna_err e = {0};
	board_view b = {0};
	if (dir) {
		char path[4096];
		struct stat st;
		snprintf(path, sizeof path, "%s/board.jsonl", dir);
		if (stat(dir, &st) == 0 && S_ISREG(st.st_mode))
			snprintf(path, sizeof path, "%s", dir);
		if (board_load(&b, path, &e) != 0)
			return cli_fail("results", &e);
	} else {
		cli_conn c;
		char path[160];
		json_t *r = NULL;
		if (cli_conn_init(&c, server, NULL, &e) != 0 || cli_check_id("referendum", ref, &e) != 0)
			return cli_fail("results", &e);
		snprintf(path, sizeof path, "/api/referendums/%s/results", ref);
		if (cli_call(&c, "GET", path, NULL, &r, NULL, "results", &e) != 0)
			return cli_fail("results", &e);
		json_decref(r);
		if (board_fetch(&b, &c, ref, &e) != 0)
			return cli_fail("results", &e);
	}
	int n = 0;
	results_print(stdout, &b, lang, &n);
	board_free(&b);
	return n > 0 ? CLI_OK : CLI_FAIL;
}
