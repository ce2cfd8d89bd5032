/* error.h: the one error vocabulary of Urna. The record layer, the store and
 * the server report a urna_err; src/server maps its code to an HTTP status
 * and src/cli to an exit code, each in one table (err_http_status, cli). */
#ifndef URNA_ERROR_H
#define URNA_ERROR_H
#include <stdint.h>

typedef enum {
	URNA_OK = 0,
	URNA_E_MALFORMED,       /* not parseable / wrong shape / wrong types */
	URNA_E_NOT_CANONICAL,   /* JSON parses but is not canonical (s.13) */
	URNA_E_TOO_LARGE,       /* over a size ceiling */
	URNA_E_BAD_ENCODING,    /* a point, scalar or base64url that fails decoding */
	URNA_E_UNKNOWN,         /* no such referendum, region, tracker, route */
	URNA_E_CONFLICT,        /* already exists / duplicate */
	URNA_E_NOT_ON_LIST,     /* credential not on the region's list */
	URNA_E_NOT_OPEN,        /* voting not open yet */
	URNA_E_CLOSED,          /* voting closed */
	URNA_E_TOO_EARLY,       /* e.g. results before announce_at */
	URNA_E_STATE,           /* not allowed in the current lifecycle state */
	URNA_E_BAD_PROOF,       /* a zero-knowledge proof fails */
	URNA_E_BAD_SIGNATURE,   /* a signature fails */
	URNA_E_MISMATCH,        /* a published figure differs from the recomputed one */
	URNA_E_CHAIN,           /* hash chain / seq broken */
	URNA_E_AUTH,            /* not this author's entry to make (s.15.1), or a wrong admin token */
	URNA_E_RATE,            /* too many requests */
	URNA_E_METHOD,          /* HTTP method not allowed on a route */
	URNA_E_MEDIA,           /* wrong content type */
	URNA_E_IO,              /* storage or system failure */
	URNA_E__COUNT
} urna_code;

typedef struct {
	urna_code code;
	uint64_t seq;        /* board entry at fault, when there is one */
	int has_seq;
	char msg[256];       /* human-readable reason */
} urna_err;

/* Stable snake_case name of a code ("not_on_list"), for JSON and messages. */
const char *err_name(urna_code code);
/* Sets e (may be NULL) and returns -1, printf-style message. */
int err_set(urna_err *e, urna_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int err_set_seq(urna_err *e, urna_code code, uint64_t seq, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Puts "WHERE: " before e's message (e may be NULL), code and seq kept, so
 * that an error found deep in a document names its place. Returns -1. */
int err_prefix(urna_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
