/* referendum.c: `urna referendum create|schedule|key|list|show`, the
 * organizer's calls (docs/api.md, admin part). */
#include <string.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "client/organizer.h"

const char referendum_usage[] =
	"urna referendum create SPEC.json\n"
	"urna referendum schedule ID [--opens T] [--closes T] [--announce T] --reason TEXT [--reason-ru TEXT]\n"
	"urna referendum key ID\n"
	"urna referendum list [--json]\n"
	"urna referendum show ID [--json]\n"
	"  (create, schedule and key also take --token-file F; all take --server URL)\n"
	"\n"
	"The organizer's calls. create defines a referendum from a spec\n"
	"(docs/api.md): its regions, questions, times in its zone, trustees.\n"
	"schedule changes its times (T: local time YYYY-MM-DDTHH:MM in the\n"
	"referendum's zone) with a stated reason, on the board. key ends the\n"
	"trustees' key ceremony and fixes the election key. list and show read.\n"
	"\n"
	"  --server URL        the server (default $URNA_SERVER, else " HTTP_DEFAULT_SERVER ")\n"
	"  --token-file F      the organizer's bearer token (default $URNA_TOKEN_FILE)\n";

static const char *time_local(json_t *t)
{
	const char *s = json_string_value(json_object_get(t, "local"));
	if (!s)
		s = json_string_value(t);
	return s ? s : "-";
}

static const char *text_of(json_t *txt)
{
	if (json_is_string(txt))
		return json_string_value(txt);
	const char *s = json_string_value(json_object_get(txt, "en"));
	if (!s) {
		const char *k;
		json_t *v;
		json_object_foreach(txt, k, v) {
			if (json_is_string(v))
				return json_string_value(v);
		}
	}
	return s ? s : "";
}

static int create(int argc, char **argv)
{
	const char *server = NULL, *token = NULL, *file = NULL;
	cli_opt opts[] = {{"server", 1, &server, NULL}, {"token-file", 1, &token, NULL}, {NULL, 0, NULL, NULL}};
	int np = 0;
	if (cli_parse("referendum create", argc, argv, opts, &file, 1, &np) != 0)
		return CLI_USAGE;
	if (np != 1)
		return cli_usage("referendum");
	urna_err e = {0};
	client_conn c;
	char id[64];
	size_t nreg;
	if (client_conn_init(&c, server, token, &e) != 0 || organizer_create(&c, file, id, &nreg, &e) != 0)
		return cli_fail("referendum create", &e);
	printf("created referendum %s (%zu regions); next: credentials, then the trustees' key ceremony\n", id, nreg);
	return CLI_OK;
}

static int schedule(int argc, char **argv)
{
	const char *server = NULL, *token = NULL, *id = NULL;
	const char *opens = NULL, *closes = NULL, *announce = NULL, *reason = NULL, *reason_ru = NULL;
	cli_opt opts[] = {
		{"server", 1, &server, NULL}, {"token-file", 1, &token, NULL},
		{"opens", 1, &opens, NULL},   {"closes", 1, &closes, NULL},
		{"announce", 1, &announce, NULL}, {"reason", 1, &reason, NULL},
		{"reason-ru", 1, &reason_ru, NULL}, {NULL, 0, NULL, NULL},
	};
	int np = 0;
	if (cli_parse("referendum schedule", argc, argv, opts, &id, 1, &np) != 0)
		return CLI_USAGE;
	if (np != 1 || !reason || (!opens && !closes && !announce))
		return cli_usage("referendum");
	urna_err e = {0};
	client_conn c;
	json_t *d = NULL;
	if (client_conn_init(&c, server, token, &e) != 0 ||
	    organizer_schedule(&c, id, opens, closes, announce, reason, reason_ru, &d, &e) != 0)
		return cli_fail("referendum schedule", &e);
	const char *tz = json_string_value(json_object_get(d, "timezone"));
	printf("schedule of %s changed (board entry %lld): opens %s, closes %s, results %s (%s): %s\n", id,
	       (long long)json_integer_value(json_object_get(d, "seq")), json_string_value(json_object_get(d, "opens_at")),
	       json_string_value(json_object_get(d, "closes_at")), json_string_value(json_object_get(d, "announce_at")),
	       tz ? tz : "", reason);
	json_decref(d);
	return CLI_OK;
}

static int key(int argc, char **argv)
{
	const char *server = NULL, *token = NULL, *id = NULL;
	cli_opt opts[] = {{"server", 1, &server, NULL}, {"token-file", 1, &token, NULL}, {NULL, 0, NULL, NULL}};
	int np = 0;
	if (cli_parse("referendum key", argc, argv, opts, &id, 1, &np) != 0)
		return CLI_USAGE;
	if (np != 1)
		return cli_usage("referendum");
	urna_err e = {0};
	client_conn c;
	json_t *ans = NULL;
	if (client_conn_init(&c, server, token, &e) != 0 ||
	    client_post(&c, id, "key", NULL, &ans, "end key ceremony", &e) != 0)
		return cli_fail("referendum key", &e);
	printf("election key of %s: %s\n", id, json_string_value(json_object_get(ans, "election_key")));
	json_decref(ans);
	return CLI_OK;
}

static void print_summary(json_t *r)
{
	printf("%-20s %-10s %-16s opens %s, closes %s, results %s (%s)\n",
	       json_string_value(json_object_get(r, "id")), json_string_value(json_object_get(r, "status")),
	       text_of(json_object_get(r, "title")), time_local(json_object_get(r, "opens_at")),
	       time_local(json_object_get(r, "closes_at")), time_local(json_object_get(r, "announce_at")),
	       json_string_value(json_object_get(r, "timezone")));
}

static int list(int argc, char **argv)
{
	const char *server = NULL;
	int as_json = 0;
	cli_opt opts[] = {{"server", 1, &server, NULL}, {"json", 0, NULL, &as_json}, {NULL, 0, NULL, NULL}};
	if (cli_parse("referendum list", argc, argv, opts, NULL, 0, NULL) != 0)
		return CLI_USAGE;
	urna_err e = {0};
	client_conn c;
	json_t *all = NULL;
	if (client_conn_init(&c, server, NULL, &e) != 0 ||
	    client_call(&c, "GET", "/api/referendums", NULL, &all, NULL, "list referendums", &e) != 0)
		return cli_fail("referendum list", &e);
	if (as_json) {
		json_dumpf(all, stdout, JSON_INDENT(2));
		putchar('\n');
	} else {
		size_t i;
		json_t *r;
		json_array_foreach(all, i, r) print_summary(r);
		if (json_array_size(all) == 0)
			printf("no referendums\n");
	}
	json_decref(all);
	return CLI_OK;
}

static int show(int argc, char **argv)
{
	const char *server = NULL, *id = NULL;
	int as_json = 0;
	cli_opt opts[] = {{"server", 1, &server, NULL}, {"json", 0, NULL, &as_json}, {NULL, 0, NULL, NULL}};
	int np = 0;
	if (cli_parse("referendum show", argc, argv, opts, &id, 1, &np) != 0)
		return CLI_USAGE;
	if (np != 1)
		return cli_usage("referendum");
	urna_err e = {0};
	client_conn c;
	json_t *r = NULL;
	if (client_conn_init(&c, server, NULL, &e) != 0 || client_get_referendum(&c, id, &r, &e) != 0)
		return cli_fail("referendum show", &e);
	if (as_json) {
		json_dumpf(r, stdout, JSON_INDENT(2));
		putchar('\n');
	} else {
		print_summary(r);
		json_t *tr = json_object_get(r, "trustees"), *head = json_object_get(r, "head");
		printf("  trustees %lld of %lld; election key %s\n", (long long)json_integer_value(json_object_get(tr, "t")),
		       (long long)json_integer_value(json_object_get(tr, "n")),
		       json_string_value(json_object_get(r, "election_key")) ? json_string_value(json_object_get(r, "election_key"))
		                                                              : "(not yet)");
		printf("  board head: seq %lld, %s\n", (long long)json_integer_value(json_object_get(head, "seq")),
		       json_string_value(json_object_get(head, "hash")) ? json_string_value(json_object_get(head, "hash")) : "-");
		size_t i;
		json_t *g;
		json_array_foreach(json_object_get(r, "regions"), i, g) {
			printf("  region %-16s %-30s electorate %lld, ballots cast %lld\n",
			       json_string_value(json_object_get(g, "id")), text_of(json_object_get(g, "name")),
			       (long long)json_integer_value(json_object_get(g, "electorate")),
			       (long long)json_integer_value(json_object_get(g, "cast")));
		}
	}
	json_decref(r);
	return CLI_OK;
}

int cmd_referendum(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int, char **);
	} subs[] = {{"create", create}, {"schedule", schedule}, {"key", key}, {"list", list}, {"show", show}};
	if (argc >= 2)
		for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
			if (!strcmp(argv[1], subs[i].name))
				return subs[i].run(argc - 1, argv + 1);
	return cli_usage("referendum");
}
