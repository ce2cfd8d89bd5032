/* results.c: the results, from a server or a record folder, and their
 * table for a person (results.h). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "client/results.h"
#include "record/results.h"

static const char *text_in(const json_t *t, const char *lang)
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

static long long num(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "?";
}

/* The table's own words, per interface language (the texts of the
 * referendum come from results.json in the same language). */
static const struct labels {
	const char *lang, *none, *results_of, *electorate, *cast, *counted, *turnout, *of_valid, *blank;
} LABELS[] = {
	{"en", "(no results on the board yet)", "Results of", "electorate", "ballots cast", "counted after re-voting",
	 "turnout", "of valid votes", "blank"},
	{"ru", "(результатов на доске пока нет)", "Итоги", "избирателей", "бюллетеней подано",
	 "учтено после переголосования", "явка", "от действительных голосов", "пустые"},
};

/* lang's words, NULL when the table has none. */
static const struct labels *labels_for(const char *lang)
{
	for (size_t i = 0; i < sizeof LABELS / sizeof LABELS[0]; i++)
		if (!strcmp(lang, LABELS[i].lang))
			return &LABELS[i];
	return NULL;
}

int results_lang_ok(const char *lang)
{
	return labels_for(lang) != NULL;
}

void results_print(FILE *f, const json_t *res, const char *lang)
{
	size_t i, q, k;
	json_t *g, *rq, *c;
	const struct labels *L = labels_for(lang) ? labels_for(lang) : &LABELS[0];
	if (!res) {
		fprintf(f, "%s\n", L->none);
		return;
	}
	fprintf(f, "%s %s: %s\n", L->results_of, str(res, "referendum"), text_in(json_object_get(res, "title"), lang));
	json_array_foreach(json_object_get(res, "regions"), i, g) {
		fprintf(f, "\n%s (%s)\n  %s %lld, %s %lld, %s %lld, %s %s%%\n", text_in(json_object_get(g, "name"), lang),
		        str(g, "id"), L->electorate, num(g, "electorate"), L->cast, num(g, "cast"), L->counted,
		        num(g, "counted"), L->turnout, str(g, "turnout"));
		json_array_foreach(json_object_get(g, "questions"), q, rq) {
			fprintf(f, "  Q%zu. %s\n", q + 1, text_in(json_object_get(rq, "text"), lang));
			json_array_foreach(json_object_get(rq, "choices"), k, c) {
				fputs("    ", f);
				put_padded(f, text_in(json_object_get(c, "text"), lang), 36);
				fprintf(f, " %9lld  %6s%% %s\n", num(c, "count"), str(c, "percent"), L->of_valid);
			}
			fputs("    ", f);
			put_padded(f, L->blank, 36);
			fprintf(f, " %9lld\n", num(rq, "blank"));
		}
	}
}

int results_get(json_t **res, const client_conn *c, const char *ref, const char *dir, urna_err *e)
{
	*res = NULL;
	if (!dir) {
		char path[160];
		if (client_check_id("referendum", ref, e) != 0)
			return -1;
		snprintf(path, sizeof path, "/api/referendums/%s/results", ref);
		return client_call(c, "GET", path, NULL, res, NULL, "results", e);
	}
	char path[4096];
	struct stat st;
	snprintf(path, sizeof path, "%s/board.jsonl", dir);
	if (stat(dir, &st) == 0 && S_ISREG(st.st_mode))
		snprintf(path, sizeof path, "%s", dir);
	election *el = client_board_replay(path, e);
	if (!el)
		return -1;
	*res = results_json(el);
	election_free(el);
	return 0;
}
