/* cli.c: what the subcommands share (cli.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/commands.h"

/* The one table from error codes to exit codes. */
static const unsigned char exit_codes[URNA_E__COUNT] = {
	[URNA_OK] = CLI_OK,
	[URNA_E_MALFORMED] = CLI_USAGE,
	[URNA_E_NOT_CANONICAL] = CLI_USAGE,
	[URNA_E_TOO_LARGE] = CLI_USAGE,
	[URNA_E_BAD_ENCODING] = CLI_USAGE,
	[URNA_E_UNKNOWN] = CLI_USAGE,
	[URNA_E_CONFLICT] = CLI_FAIL,
	[URNA_E_NOT_ON_LIST] = CLI_FAIL,
	[URNA_E_NOT_OPEN] = CLI_FAIL,
	[URNA_E_CLOSED] = CLI_FAIL,
	[URNA_E_TOO_EARLY] = CLI_FAIL,
	[URNA_E_STATE] = CLI_FAIL,
	[URNA_E_BAD_PROOF] = CLI_FAIL,
	[URNA_E_BAD_SIGNATURE] = CLI_FAIL,
	[URNA_E_MISMATCH] = CLI_FAIL,
	[URNA_E_CHAIN] = CLI_FAIL,
	[URNA_E_AUTH] = CLI_USAGE,
	[URNA_E_RATE] = CLI_FAIL,
	[URNA_E_METHOD] = CLI_FAIL,
	[URNA_E_MEDIA] = CLI_FAIL,
	[URNA_E_IO] = CLI_FAIL,
};

int cli_exit(urna_code code)
{
	return (unsigned)code < URNA_E__COUNT ? exit_codes[code] : CLI_FAIL;
}

int cli_fail(const char *cmd, const urna_err *e)
{
	fprintf(stderr, "urna %s: %s\n", cmd, e->msg[0] ? e->msg : err_name(e->code));
	int rc = cli_exit(e->code);
	return rc ? rc : CLI_FAIL;
}

static void vsay(const char *cmd, const char *fmt, va_list ap)
{
	fprintf(stderr, "urna %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(cmd, fmt, ap);
	va_end(ap);
	return CLI_USAGE;
}

void cli_print_usage(FILE *f, const char *cmd)
{
	size_t n = strcspn(cmd, " ");
	for (const struct command *c = commands; c->name; c++)
		if (strlen(c->name) == n && !strncmp(c->name, cmd, n)) {
			/* The synopsis lines (up to the first blank one) under
			 * "usage: ", the rest as written. */
			const char *p = c->usage;
			for (int first = 1; *p && *p != '\n'; first = 0) {
				size_t l = strcspn(p, "\n");
				fprintf(f, "%s%.*s\n", first ? "usage: " : "       ", (int)l, p);
				p += l + (p[l] == '\n');
			}
			fputs(p, f);
			return;
		}
}

int cli_usage(const char *cmd)
{
	cli_print_usage(stderr, cmd);
	return CLI_USAGE;
}

/* A parse error: the problem, then the usage. */
__attribute__((format(printf, 2, 3))) static int parse_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(cmd, fmt, ap);
	va_end(ap);
	cli_print_usage(stderr, cmd);
	return -1;
}

int cli_referendum_post(const char *cmd, int argc, char **argv, organizer_step step, const char **ref, json_t **ans)
{
	const char *server = NULL, *key = NULL;
	cli_opt opts[] = {{"server", 1, &server, NULL}, {"key", 1, &key, NULL},
	                  {"referendum", 1, ref, NULL}, {NULL, 0, NULL, NULL}};
	*ref = NULL;
	*ans = NULL;
	if (cli_parse(cmd, argc, argv, opts, NULL, 0, NULL) != 0)
		return CLI_USAGE;
	if (!*ref || !key)
		return cli_usage(cmd);
	urna_err e = {0};
	client_conn c;
	if (client_conn_init(&c, server, NULL, &e) != 0 || step(&c, key, *ref, ans, &e) != 0)
		return cli_fail(cmd, &e);
	return CLI_OK;
}

int cli_parse(const char *cmd, int argc, char **argv, const cli_opt *opts,
              const char **pos, int max_pos, int *npos)
{
	int np = 0, only_pos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!only_pos && !strcmp(a, "--")) {
			only_pos = 1;
			continue;
		}
		if (!only_pos && a[0] == '-' && a[1] == '-' && a[2]) {
			const char *eq = strchr(a, '=');
			size_t nl = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			const cli_opt *o = opts;
			for (; o && o->name; o++)
				if (strlen(o->name) == nl && !strncmp(o->name, a + 2, nl))
					break;
			if (!o || !o->name)
				return parse_error(cmd, "unknown option '%s'", a);
			if (o->has_arg) {
				if (eq)
					*o->val = eq + 1;
				else if (i + 1 < argc)
					*o->val = argv[++i];
				else
					return parse_error(cmd, "option --%s needs a value", o->name);
			} else {
				if (eq)
					return parse_error(cmd, "option --%s takes no value", o->name);
				*o->flag = 1;
			}
			continue;
		}
		if (!only_pos && a[0] == '-' && a[1] && a[1] != '-')
			return parse_error(cmd, "unknown option '%s'", a);
		if (np >= max_pos)
			return parse_error(cmd, "unexpected argument '%s'", a);
		pos[np++] = a;
	}
	if (npos)
		*npos = np;
	return 0;
}

int cli_uint(const char *s, unsigned long long lo, unsigned long long hi, unsigned long long *out)
{
	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}
