/* cli.h: what the subcommands share: option parsing, usage, and the ONE
 * table from urna_code to exit code. What talks to a server is src/client. */
#ifndef URNA_CLI_H
#define URNA_CLI_H
#include <stddef.h>
#include <stdio.h>
#include <jansson.h>
#include "client/client.h"
#include "record/error.h"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* Exit code for an error code: 0 for URNA_OK, 2 for input errors (malformed
 * or unknown input, bad token), 1 for everything that failed on its merits
 * (refused by the server, proofs, state, I/O). */
int cli_exit(urna_code code);

/* Prints "urna CMD: MSG" to stderr and returns cli_exit(e->code). */
int cli_fail(const char *cmd, const urna_err *e);
/* Prints "urna CMD: MSG" to stderr and returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints the usage of the subcommand that cmd's first word names (its
 * entry in the table of main.c) to f. */
void cli_print_usage(FILE *f, const char *cmd);
/* Prints that usage to stderr and returns CLI_USAGE. */
int cli_usage(const char *cmd);

/* One option: "--name". With has_arg the value (next argument or after '=')
 * is stored in *val; without it *flag is set to 1. Repeating an option keeps
 * the last value. */
typedef struct {
	const char *name;
	int has_arg;
	const char **val;
	int *flag;
} cli_opt;

/* Parses argv[1..argc) (argv[0] is the subcommand) against opts (terminated
 * by a NULL name). Non-option arguments go to pos (at most max_pos, count
 * in *npos). "--" ends options. Returns 0, or prints the problem prefixed
 * with cmd, then the command's usage, and returns -1 (unknown option,
 * missing value, too many arguments). */
int cli_parse(const char *cmd, int argc, char **argv, const cli_opt *opts,
              const char **pos, int max_pos, int *npos);

/* The shape of `urna tally` and `urna publish`: --referendum ID --key
 * KEYFILE [--server URL], then the organizer's step (organizer.h).
 * Returns the exit code; on CLI_OK *ref is the id and *ans the answer
 * (caller json_decref's). */
typedef int (*organizer_step)(const client_conn *c, const char *keyfile, const char *id, json_t **ans, urna_err *e);
int cli_referendum_post(const char *cmd, int argc, char **argv, organizer_step step, const char **ref, json_t **ans);

/* Parses a non-negative decimal integer in [lo, hi]. 0 or -1. */
int cli_uint(const char *s, unsigned long long lo, unsigned long long hi, unsigned long long *out);

#endif
