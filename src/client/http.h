/* http.h: the client's HTTP, on libcurl: http:// and https://
 * (certificates checked against the system's CAs, or only those of
 * $URNA_CA_FILE), no redirects followed, no proxy but $URNA_PROXY. Every
 * response body, buffered or sunk, has a ceiling and every transfer an
 * inactivity timeout; a server's error answer is read for its code. */
#ifndef URNA_HTTP_CLIENT_H
#define URNA_HTTP_CLIENT_H
#include <stddef.h>
#include "record/error.h"

#define HTTP_DEFAULT_SERVER "http://127.0.0.1:8080"
#define HTTP_MAX_BODY ((size_t)64 << 20)  /* default response ceiling */
#define HTTP_TIMEOUT_MS 30000

/* A server URL, http[s]://HOST[:PORT][/PREFIX], checked by libcurl's URL
 * parser and kept without its trailing '/'. */
typedef struct {
	char base[600];
	int tls; /* 1 for https:// */
} http_server;

/* Parses url into s. Returns 0, or -1 with e set (URNA_E_MALFORMED). */
int http_server_parse(http_server *s, const char *url, urna_err *e);

/* Called with each piece of a streamed body; returns 0 to continue, -1 to
 * abort the transfer (the request then fails with URNA_E_IO). */
typedef int (*http_sink)(void *ctx, const char *data, size_t n);

typedef struct {
	const char *method;       /* "GET", "POST" */
	const char *path;         /* "/api/...", appended to the server prefix */
	const char *token;        /* admin bearer token or NULL */
	const char *content_type; /* of body, default application/json */
	const void *body;         /* request body or NULL */
	size_t body_len;
	size_t max_body;          /* response ceiling, 0 = HTTP_MAX_BODY */
	int timeout_ms;           /* to connect, and of silence, 0 = HTTP_TIMEOUT_MS */
	http_sink sink;           /* if set, the body of a 2xx goes here instead */
	void *sink_ctx;
} http_req;

typedef struct {
	int status;         /* HTTP status code */
	char *body;         /* NUL-terminated, malloc'd (empty when sunk) */
	size_t len;
	char content_type[96];
} http_resp;

/* Performs req against s. Returns 0 when a complete response was read (any
 * status; check resp->status), -1 on a transport failure (connect, timeout,
 * malformed response, body over the ceiling) with e set. resp is always
 * initialised; free it with http_resp_free. Thread-safe. */
int http_do(const http_server *s, const http_req *req, http_resp *resp, urna_err *e);
void http_resp_free(http_resp *r);

/* The server's error answer {"error":CODE,"message":TEXT} turned into e:
 * the code from its name, the message prefixed with what (e.g. "cast
 * ballot"); an answer that is not one is io_error. Always returns -1. */
int http_error(const http_resp *r, const char *what, urna_err *e);

/* urna_code whose err_name is name, or URNA_E__COUNT when none. */
urna_code http_code_from_name(const char *name);

#endif
