/* cli.h: what the client subcommands share: option parsing, the ONE table
 * from urna_code to exit code, the common --server/--token-file options, and
 * JSON calls to the HTTP API (docs/api.md). */
#ifndef URNA_CLI_H
#define URNA_CLI_H
#include <stddef.h>
#include <stdio.h>
#include <jansson.h>
#include "cli/http_client.h"
#include "record/election.h"
#include "record/error.h"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

#define CLI_BOARD_MAX ((size_t)4 << 30) /* the largest board a client downloads or reads */

/* Exit code for an error code: 0 for URNA_OK, 2 for input errors (malformed
 * or unknown input, bad token), 1 for everything that failed on its merits
 * (refused by the server, proofs, state, I/O). */
int cli_exit(urna_code code);

/* Prints "urna CMD: MSG" to stderr and returns cli_exit(e->code). */
int cli_fail(const char *cmd, const urna_err *e);
/* Prints "urna CMD: MSG" to stderr and returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

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
 * with cmd and returns -1 (unknown option, missing value, too many
 * arguments). */
int cli_parse(const char *cmd, int argc, char **argv, const cli_opt *opts,
              const char **pos, int max_pos, int *npos);

/* Parses a non-negative decimal integer in [lo, hi]. 0 or -1. */
int cli_uint(const char *s, unsigned long long lo, unsigned long long hi, unsigned long long *out);

/* The connection every client command has: server URL and admin token. */
typedef struct {
	http_server srv;
	char token[512]; /* "" when no token */
	int timeout_ms;
} cli_conn;

/* Fills c from --server (NULL: $URNA_SERVER or HTTP_DEFAULT_SERVER) and
 * --token-file (NULL: $URNA_TOKEN_FILE or none). The token file's content,
 * trimmed of surrounding whitespace, is the bearer token. 0 or -1 (e set). */
int cli_conn_init(cli_conn *c, const char *server, const char *token_file, urna_err *e);

/* Calls the API. body (may be NULL) is sent as compact JSON. On a 2xx answer
 * returns 0 and, when out is not NULL, the parsed JSON body (NULL if the
 * body is empty; caller json_decref's). On anything else returns -1 with e
 * set from the server's error answer ("what: HTTP 403 closed: message");
 * *status (may be NULL) gets the HTTP status, 0 on transport failure. */
int cli_call(const cli_conn *c, const char *method, const char *path, json_t *body,
             json_t **out, int *status, const char *what, urna_err *e);
/* Same with raw bytes: body/len sent as-is (application/json); the 2xx body
 * is returned in resp (caller http_resp_free's). */
int cli_call_raw(const cli_conn *c, const char *method, const char *path, const void *body,
                 size_t len, http_resp *resp, int *status, const char *what, urna_err *e);

/* Writes data to path atomically (tmp + rename) with mode. 0 or -1. */
int cli_write_file(const char *path, const void *data, size_t len, int mode, urna_err *e);

/* Replays the board file at path (JSON Lines) into a new election with
 * APPLY_TRUSTED: chain, order and figures, not the proofs (`urna verify`
 * checks those). Returns it (caller election_free's) or NULL (e set). */
election *cli_board_replay(const char *path, urna_err *e);

/* Checks an id against s.10 ([a-z0-9][a-z0-9-]{0,62}). 0 or -1 (e set). */
int cli_check_id(const char *what, const char *id, urna_err *e);

#endif
