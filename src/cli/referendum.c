/* referendum.c: `urna referendum create|schedule|key|list|show`, the
 * organizer's calls (docs/api.md, admin part). */
#include <string.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "client/organizer.h"

const char referendum_usage[] =
	"urna referendum create SPEC.json --key KEYFILE\n"
	"urna referendum schedule ID --key KEYFILE [--opens T] [--closes T] [--announce T] --reason TEXT [--reason-ru TEXT]\n"
	"urna referendum key ID --key KEYFILE\n"
	"urna referendum list [--json]\n"
	"urna referendum show ID [--json]\n"
	"  (all take --server URL)\n"
	"\n"
	"The organizer's steps, each an entry signed with the organizer's key\n"
	"(urna keygen --role organizer). create defines a referendum from a spec\n"
	"(docs/api.md): its regions, questions, times in its zone, and every\n"
	"role by its public key file (trustees, credential authorities; the\n"
	"server's is read from it unless the spec names one); it prints each\n"
	"role's fingerprint, to compare out of band. schedule changes its times\n"
	"(T: local time YYYY-MM-DDTHH:MM in the referendum's zone) with a stated\n"
	"reason, on the board. key ends the trustees' key ceremony (after\n"
	"verifying their entries) and fixes the election key. list and show read;\n"
	"show prints who holds each role, with fingerprints.\n"
	"\n"
	"  --server URL        the server (default $URNA_SERVER, else " HTTP_DEFAULT_SERVER ")\n"
	"  --key KEYFILE       the organizer's key file\n";

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

/* Who holds each role, as the server's referendum object lists them. */
static void print_roles(const json_t *r)
{
	size_t i;
	json_t *ro;
	json_array_foreach(json_object_get(r, "roles"), i, ro) {
		const char *by = json_string_value(json_object_get(ro, "by"));
		printf("  %-12s %-19s %s", by ? by : "?", json_string_value(json_object_get(ro, "fingerprint")),
		       json_string_value(json_object_get(ro, "name")));
		json_t *regs = json_object_get(ro, "regions");
		if (json_array_size(regs)) {
			size_t k;
			json_t *g;
			printf(" (regions");
			json_array_foreach(regs, k, g) printf(" %s", json_string_value(g));
			printf(")");
		}
		printf(", %lld entries\n", (long long)json_integer_value(json_object_get(ro, "entries")));
	}
}

static int create(int argc, char **argv)
{
	const char *server = NULL, *key = NULL, *file = NULL;
	cli_opt opts[] = {{"server", 1, &server, NULL}, {"key", 1, &key, NULL}, {NULL, 0, NULL, NULL}};
	int np = 0;
	if (cli_parse("referendum create", argc, argv, opts, &file, 1, &np) != 0)
		return CLI_USAGE;
	if (np != 1 || !key)
		return cli_usage("referendum");
	urna_err e = {0};
	client_conn c;
	char id[64];
	size_t nreg;
	json_t *made = NULL;
	if (client_conn_init(&c, server, NULL, &e) != 0 || organizer_create(&c, file, key, id, &nreg, &made, &e) != 0)
		return cli_fail("referendum create", &e);
	printf("created referendum %s (%zu regions), signed by its organizer; its roles (compare each fingerprint with\n"
	       "its holder, out of band):\n", id, nreg);
	print_roles(made);
	printf("next: each credential authority uploads its lists, the trustees run the key ceremony\n");
	json_decref(made);
	return CLI_OK;
}

static int schedule(int argc, char **argv)
{
	const char *server = NULL, *key = NULL, *id = NULL;
	const char *opens = NULL, *closes = NULL, *announce = NULL, *reason = NULL, *reason_ru = NULL;
	cli_opt opts[] = {
		{"server", 1, &server, NULL}, {"key", 1, &key, NULL},
		{"opens", 1, &opens, NULL},   {"closes", 1, &closes, NULL},
		{"announce", 1, &announce, NULL}, {"reason", 1, &reason, NULL},
		{"reason-ru", 1, &reason_ru, NULL}, {NULL, 0, NULL, NULL},
	};
	int np = 0;
	if (cli_parse("referendum schedule", argc, argv, opts, &id, 1, &np) != 0)
		return CLI_USAGE;
	if (np != 1 || !key || !reason || (!opens && !closes && !announce))
		return cli_usage("referendum");
	urna_err e = {0};
	client_conn c;
	json_t *d = NULL;
	if (client_conn_init(&c, server, NULL, &e) != 0 ||
	    organizer_schedule(&c, key, id, opens, closes, announce, reason, reason_ru, &d, &e) != 0)
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
	const char *server = NULL, *key = NULL, *id = NULL;
	cli_opt opts[] = {{"server", 1, &server, NULL}, {"key", 1, &key, NULL}, {NULL, 0, NULL, NULL}};
	int np = 0;
	if (cli_parse("referendum key", argc, argv, opts, &id, 1, &np) != 0)
		return CLI_USAGE;
	if (np != 1 || !key)
		return cli_usage("referendum");
	urna_err e = {0};
	client_conn c;
	json_t *ans = NULL;
	if (client_conn_init(&c, server, NULL, &e) != 0 || organizer_key(&c, key, id, &ans, &e) != 0)
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
			printf("  region %-16s %-30s electorate %lld%s, ballots cast %lld\n",
			       json_string_value(json_object_get(g, "id")), text_of(json_object_get(g, "name")),
			       (long long)json_integer_value(json_object_get(g, "electorate")),
			       json_is_true(json_object_get(g, "electorate_final")) ? " (final)" : " (not final yet)",
			       (long long)json_integer_value(json_object_get(g, "cast")));
		}
		printf("  roles (compare each fingerprint with its holder, out of band):\n");
		print_roles(r);
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
