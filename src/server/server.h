/* server.h: `urna serve`, the referendum server (docs/api.md). */
#ifndef URNA_SERVER_H
#define URNA_SERVER_H
#include <stdint.h>
#include "record/error.h"

struct server_config {
	const char *db;          /* "PATH" or "sqlite:PATH" */
	const char *listen;      /* "ADDR:PORT", port 0 picks a free one */
	const char *token_file;  /* admin bearer token; NULL: admin routes refuse */
	const char *web_dir;     /* static files, NULL for none */
	int test_clock;          /* enables POST /api/clock */
	int64_t clock_start;     /* test clock's first value (0: the real time) */
	double rate;             /* requests a second per client address, <= 0 none */
	double burst;            /* bucket size, 0: max(rate, 1) */
	unsigned threads;        /* HTTP worker threads, 0: number of CPUs (>= 2) */
	int quiet;               /* no per-request log line */
	unsigned checkpoint_every; /* seconds between signed checkpoints, 0: none (urna serve's default: 5) */
	const char *tls_cert;    /* PEM certificate chain and key files: HTTPS */
	const char *tls_key;     /* (GnuTLS through libmicrohttpd); NULL: HTTP */
	const char *key_file;    /* the server's identity key file (urna keygen --role server); NULL: DB.key, made on first start */
	const char *const *organizers; /* public keys (base64url) of the organizers it hosts */
	size_t norganizers;
};

struct server;

/* Opens the store, rebuilds every referendum's state from its board, starts
 * the writer, the verifier (verdict.h: it verifies the boards already
 * published) and the HTTP threads. Returns the server or NULL with e set. */
struct server *server_start(const struct server_config *cfg, urna_err *e);
/* The port actually listened on. */
uint16_t server_port(const struct server *s);
/* Stops accepting, finishes requests and queued commits, abandons a
 * verification in progress, frees everything. */
void server_stop(struct server *s);

#endif
