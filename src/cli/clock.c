/* clock.c: `urna clock`: the server's clock in a referendum's zone, and
 * `urna clock set LOCAL-TIME` for a server started with --test-clock, so a
 * rehearsal moves time in the zone its dates are written in. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "record/rtime.h"

const char clock_usage[] =
	"urna clock [--referendum ID | --zone ZONE] [--server URL]\n"
	"urna clock set LOCAL-TIME [--referendum ID | --zone ZONE] --token-file F [--server URL]\n"
	"  shows the server's clock, in the referendum's zone (or ZONE, default UTC);\n"
	"  set moves a --test-clock server to LOCAL-TIME (YYYY-MM-DDTHH:MM[:SS]) in that zone\n";

/* The zone: --zone, else the referendum's, else UTC. */
static int zone_of(const client_conn *c, const char *ref, const char *zone, char out[static 80], urna_err *e)
{
	if (zone || !ref) {
		snprintf(out, 80, "%s", zone ? zone : "UTC");
		if (!rtime_zone_ok(out))
			return err_set(e, URNA_E_MALFORMED, "unknown time zone \"%s\"", out);
		return 0;
	}
	json_t *ans = NULL;
	if (client_get_referendum(c, ref, &ans, e) != 0)
		return -1;
	const char *tz = json_string_value(json_object_get(ans, "timezone"));
	snprintf(out, 80, "%s", tz ? tz : "");
	json_decref(ans);
	return rtime_zone_ok(out) ? 0 : err_set(e, URNA_E_MALFORMED, "the server names no known zone for %s", ref);
}

int cmd_clock(int argc, char **argv)
{
	const char *server = NULL, *token = NULL, *ref = NULL, *zone = NULL, *pos[2] = {NULL, NULL};
	int npos = 0;
	cli_opt opts[] = {{"server", 1, &server, NULL}, {"token-file", 1, &token, NULL}, {"referendum", 1, &ref, NULL},
	                  {"zone", 1, &zone, NULL}, {NULL, 0, NULL, NULL}};
	if (cli_parse("clock", argc, argv, opts, pos, 2, &npos) != 0)
		return CLI_USAGE;
	int set = npos == 2 && !strcmp(pos[0], "set");
	if ((npos != 0 && !set) || (ref && zone))
		return cli_usage("clock");
	urna_err e = {0};
	client_conn c;
	char tz[80], local[20];
	json_t *ans = NULL;
	if (client_conn_init(&c, server, set ? token : NULL, &e) != 0 || zone_of(&c, ref, zone, tz, &e) != 0)
		return cli_fail("clock", &e);
	if (set) {
		rtime t;
		if (rtime_make(&t, tz, pos[1], &e) != 0)
			return cli_fail("clock", &e);
		json_t *body = json_pack("{s:I}", "now", (json_int_t)t.utc);
		int rc = client_call(&c, "POST", "/api/clock", body, NULL, NULL, "set the clock", &e);
		json_decref(body);
		if (rc != 0)
			return cli_fail("clock", &e);
	}
	if (client_call(&c, "GET", "/api/clock", NULL, &ans, NULL, "clock", &e) != 0)
		return cli_fail("clock", &e);
	json_int_t now = json_integer_value(json_object_get(ans, "now"));
	int test = json_is_true(json_object_get(ans, "test_clock"));
	json_decref(ans);
	char utc[20];
	if (rtime_local(local, now, tz) != 0 || rtime_local(utc, now, "UTC") != 0) {
		err_set(&e, URNA_E_MALFORMED, "cannot show %lld in %s", (long long)now, tz);
		return cli_fail("clock", &e);
	}
	printf("server clock: %s %s (%s UTC, Unix %lld)%s\n", local, tz, utc, (long long)now,
	       test ? ", a test clock" : "");
	return CLI_OK;
}
