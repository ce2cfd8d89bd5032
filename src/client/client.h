/* client.h: what every client of an Urna server shares (src/client): the
 * connection (server URL and bearer token), JSON calls to the HTTP API
 * (docs/api.md), the one helper for an admin or role POST, and a local
 * replay of a board file. Nothing here prints or exits: errors come back
 * in an urna_err. */
#ifndef URNA_CLIENT_H
#define URNA_CLIENT_H
#include <stddef.h>
#include <jansson.h>
#include "client/http.h"
#include "record/election.h"
#include "record/error.h"

#define CLIENT_BOARD_MAX ((size_t)4 << 30) /* the largest board a client downloads or reads */

/* The connection every client command has: server URL and admin token. */
typedef struct {
	http_server srv;
	char token[512]; /* "" when no token */
	int timeout_ms;
} client_conn;

/* Fills c from --server (NULL: $URNA_SERVER or HTTP_DEFAULT_SERVER) and
 * --token-file (NULL: $URNA_TOKEN_FILE or none). The token file's content,
 * trimmed of surrounding whitespace, is the bearer token. 0 or -1 (e set). */
int client_conn_init(client_conn *c, const char *server, const char *token_file, urna_err *e);

/* Calls the API. body (may be NULL) is sent as compact JSON. On a 2xx answer
 * returns 0 and, when out is not NULL, the parsed JSON body (NULL if the
 * body is empty; caller json_decref's). On anything else returns -1 with e
 * set from the server's error answer ("what: HTTP 403 closed: message");
 * *status (may be NULL) gets the HTTP status, 0 on transport failure. */
int client_call(const client_conn *c, const char *method, const char *path, json_t *body,
             json_t **out, int *status, const char *what, urna_err *e);
/* Same with raw bytes: body/len sent as-is (application/json); the 2xx body
 * is returned in resp (caller http_resp_free's). */
int client_call_raw(const client_conn *c, const char *method, const char *path, const void *body,
                 size_t len, http_resp *resp, int *status, const char *what, urna_err *e);

/* The one shape of an admin or role call: POST body (may be NULL) to
 * /api/referendums/REF/ACTION (action: "tally", "key", "trustees",
 * "regions/R/credentials", ...), ref checked first. As client_call. */
int client_post(const client_conn *c, const char *ref, const char *action, json_t *body, json_t **out,
                const char *what, urna_err *e);

/* GET /api/referendums/REF: the referendum object (docs/api.md), ref
 * checked first. 0 (*out: caller json_decref's) or -1 (e). */
int client_get_referendum(const client_conn *c, const char *ref, json_t **out, urna_err *e);

/* Replays the board file at path (JSON Lines) into a new election with
 * APPLY_TRUSTED: chain, order and figures, not the proofs (`urna verify`
 * checks those). Returns it (caller election_free's) or NULL (e set). */
election *client_board_replay(const char *path, urna_err *e);

/* Checks an id against s.10 ([a-z0-9][a-z0-9-]{0,62}). 0 or -1 (e set). */
int client_check_id(const char *what, const char *id, urna_err *e);

#endif
