/* http.h: what the route handlers of src/server see of a request, and how
 * they answer. Private to src/server; server.c runs libmicrohttpd, reads the
 * body within the route's ceiling, checks method, rate, token and content
 * type, and calls the handler once the whole body is in. */
#ifndef URNA_HTTP_H
#define URNA_HTTP_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "base/buf.h"
#include "record/error.h"
#include "server/clock.h"
#include "store/store.h"
#include "store/writer.h"

#define KiB ((size_t)1 << 10)
#define MiB ((size_t)1 << 20)
#define BODY_BALLOT (64 * KiB)
#define BODY_UPLOAD (2 * MiB)
#define BODY_DEFAULT (256 * KiB)
/* A JSON answer has no ceiling of its own: what it holds is bounded by the
 * board's (lines, regions, questions). */
#define REPLY_MAX (SIZE_MAX / 2)
#define ROUTE_MAX_PARAMS 4

struct request;
struct registry;

/* The running server: what handlers may use. */
struct server {
	const struct store_ops *ops;
	struct store *st;
	struct store_writer *writer;
	struct clock *clock;
	struct registry *reg;      /* referendums (state.h) */
	struct verdict_runner *verdicts; /* runs urna verify over published boards (verdict.h) */
	struct ratelimit *rl;
	uint8_t token_hash[32];    /* BLAKE2b of the admin token */
	uint8_t server_sk[64];     /* Ed25519, signs checkpoints and ballot receipts */
	uint8_t server_pk[32];     /* its public half, in each referendum entry */
	char server_name[128];     /* its key file's name */
	uint8_t (*organizers)[32]; /* the organizers' keys whose referendums it hosts (--organizer) */
	size_t norganizers;
	int has_token, test_clock, quiet;
	const char *web_dir;       /* NULL: no static files */
	void *daemon;              /* struct MHD_Daemon */
};

enum { HANDLED = 0, SUSPENDED = 1 };

/* A handler answers with one of the reply_* calls below and returns HANDLED,
 * or suspends the request (request_suspend) and returns SUSPENDED. */
typedef int (*route_fn)(struct request *rq);

enum { ROUTE_PUBLIC = 0, ROUTE_ADMIN = 1, ROUTE_TEST = 2 /* admin, and only with --test-clock */ };

struct route {
	const char *method;  /* "GET", "POST" */
	const char *pattern; /* "/api/referendums/{id}/head": {x} is a parameter */
	route_fn handler;
	int access;
	size_t max_body;     /* 0: no body accepted beyond BODY_DEFAULT */
	const char *help;
};
extern const struct route routes[]; /* routes.c; NULL method ends it */

/* A streamed answer: called until it returns 0 (end) or -1 (abort); writes
 * at most max bytes to out and returns how many. */
typedef long (*stream_fn)(void *arg, uint64_t pos, char *out, size_t max);

struct request {
	struct server *srv;
	void *conn;                 /* struct MHD_Connection */
	const struct route *route;
	const char *method;
	const char *url;            /* path, without query */
	char *param[ROUTE_MAX_PARAMS]; /* route parameters, in pattern order */
	int nparam;
	buf body;                   /* the request body, NUL-terminated; max: the route's ceiling */
	uint8_t ip[16];
	size_t iplen;
	/* answer */
	int status;
	char *resp;                 /* malloc'd body */
	size_t resp_len;
	const char *ctype;
	stream_fn stream;
	void *stream_arg;
	void (*stream_free)(void *arg);
	/* suspended requests: set by the handler, called on resume */
	void (*resume)(struct request *rq);
	void *ctx;                  /* handler's state across a suspension */
	void (*ctx_free)(void *ctx);
	int suspended, discarding, answered;
	double t0;
};

/* Query-string argument or NULL. */
const char *request_arg(struct request *rq, const char *key);
/* Request header or NULL. */
const char *request_header(struct request *rq, const char *name);

/* Answers status with the compact JSON of v (steals the reference); v NULL
 * answers 500 out of memory, so a builder's result may be passed unchecked. */
int reply_json(struct request *rq, int status, json_t *v);
/* Answers with body bytes (copied) of content type ctype. */
int reply_bytes(struct request *rq, int status, const char *ctype, const void *body, size_t len);
/* Answers {"error": name, "message": msg} with the status of e->code. */
int reply_err(struct request *rq, const urna_err *e);
int reply_errf(struct request *rq, urna_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Error answer with extra fields merged into the error object (steals). */
int reply_err_extra(struct request *rq, const urna_err *e, json_t *extra);
/* Answers 200 with a body produced by fn (chunked); free_fn(arg) after. */
int reply_stream(struct request *rq, const char *ctype, stream_fn fn, void *arg, void (*free_fn)(void *));

/* Suspends the connection; the handler then returns SUSPENDED and some
 * thread later calls request_resume, after which rq->resume(rq) runs in a
 * server thread and must answer. Call before handing rq to another thread. */
void request_suspend(struct request *rq);
void request_resume(struct request *rq);

/* The one table from urna_code to HTTP status (docs/api.md). */
int err_http_status(urna_code code);

/* Parses the request body as JSON (an object or array). 0, or -1 with e set
 * (malformed). Caller json_decref's *out. */
int request_json(struct request *rq, json_t **out, urna_err *e);

#endif
