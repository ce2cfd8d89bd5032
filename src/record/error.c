/* error.c: names and setters for urna_err (error.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "record/error.h"

static const char *const names[URNA_E__COUNT] = {
	[URNA_OK] = "ok",
	[URNA_E_MALFORMED] = "malformed",
	[URNA_E_NOT_CANONICAL] = "not_canonical",
	[URNA_E_TOO_LARGE] = "too_large",
	[URNA_E_BAD_ENCODING] = "bad_encoding",
	[URNA_E_UNKNOWN] = "not_found",
	[URNA_E_CONFLICT] = "conflict",
	[URNA_E_NOT_ON_LIST] = "not_on_list",
	[URNA_E_NOT_OPEN] = "not_open",
	[URNA_E_CLOSED] = "closed",
	[URNA_E_TOO_EARLY] = "too_early",
	[URNA_E_STATE] = "wrong_state",
	[URNA_E_BAD_PROOF] = "bad_proof",
	[URNA_E_BAD_SIGNATURE] = "bad_signature",
	[URNA_E_MISMATCH] = "mismatch",
	[URNA_E_CHAIN] = "chain_broken",
	[URNA_E_AUTH] = "unauthorized",
	[URNA_E_RATE] = "rate_limited",
	[URNA_E_METHOD] = "method_not_allowed",
	[URNA_E_MEDIA] = "unsupported_media_type",
	[URNA_E_IO] = "io_error",
};

const char *err_name(urna_code code)
{
	return (unsigned)code < URNA_E__COUNT && names[code] ? names[code] : "error";
}

static int vset(urna_err *e, urna_code code, int has_seq, uint64_t seq, const char *fmt, va_list ap)
{
	if (e) {
		e->code = code;
		e->has_seq = has_seq;
		e->seq = seq;
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	}
	return -1;
}

int err_set(urna_err *e, urna_code code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(e, code, 0, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int err_prefix(urna_err *e, const char *fmt, ...)
{
	char where[128], msg[sizeof e->msg];
	va_list ap;
	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(where, sizeof where, fmt, ap);
	va_end(ap);
	memcpy(msg, e->msg, sizeof msg);
	snprintf(e->msg, sizeof e->msg, "%s: %.*s", where, (int)(sizeof e->msg - strlen(where) - 3), msg);
	return -1;
}

int err_set_seq(urna_err *e, urna_code code, uint64_t seq, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(e, code, 1, seq, fmt, ap);
	va_end(ap);
	return -1;
}
