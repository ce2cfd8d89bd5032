/* canon.h: canonical JSON (docs/protocol.md s.13). Every board body and every
 * ballot has exactly one byte form: what jansson writes with JSON_COMPACT |
 * JSON_SORT_KEYS. Parsing checks the bytes are that form. No I/O. */
#ifndef URNA_CANON_H
#define URNA_CANON_H
#include <stddef.h>
#include <jansson.h>
#include "record/error.h"

#define URNA_BALLOT_MAX (64u * 1024u)         /* s.14 */
#define URNA_LINE_MAX (16u * 1024u * 1024u)   /* s.15 */
#define URNA_ID_MAX 64                       /* 63 characters and a NUL (s.10) */

/* Parses bytes[0..len) (need not be NUL-terminated) as one JSON value and
 * checks it is canonical. Returns a new reference (caller json_decref's), or
 * NULL with e set: too_large when len > max, malformed when it does not
 * parse (or has a NUL, duplicate keys, a real number), not_canonical when it
 * parses but re-encodes to other bytes. */
json_t *canon_parse(const char *bytes, size_t len, size_t max, urna_err *e);

/* The canonical bytes of v: malloc'd, NUL-terminated, length in *len (may be
 * NULL). NULL on allocation failure. Caller frees. */
char *canon_encode(const json_t *v, size_t *len);

/* 1 when s is a referendum or region id: [a-z0-9][a-z0-9-]{0,62} (s.10). */
int canon_id_ok(const char *s);

/* Strict field readers on an object o, for the typed parsers. Each returns 0,
 * or -1 with e set (malformed, or bad_encoding for base64url/points/scalars)
 * naming the field. A point must decode (point_check); _nonzero refuses the
 * identity; a scalar must be < l. */
int canon_get_u32(uint32_t *out, const json_t *o, const char *key, urna_err *e);
int canon_get_u64(uint64_t *out, const json_t *o, const char *key, urna_err *e);
int canon_get_b64(uint8_t *out, size_t n, const json_t *o, const char *key, urna_err *e);
int canon_get_point(uint8_t out[static 32], const json_t *o, const char *key, urna_err *e);
int canon_get_point_nonzero(uint8_t out[static 32], const json_t *o, const char *key, urna_err *e);
int canon_get_scalar(uint8_t out[static 32], const json_t *o, const char *key, urna_err *e);
int canon_get_id(char out[static URNA_ID_MAX], const json_t *o, const char *key, urna_err *e);
/* A text (s.10): a non-empty object of language -> non-empty string. */
int canon_check_text(const json_t *v, const char *what, urna_err *e);
/* 0 when o is an object with exactly the keys listed (NULL-terminated);
 * else -1 naming the first unknown key, or the first missing one. */
int canon_keys(const json_t *o, const char *const *keys, const char *what, urna_err *e);
/* 0 when o is an object with no key but those listed (any may be absent). */
int canon_known_keys(const json_t *o, const char *const *keys, const char *what, urna_err *e);
/* b64url of 32 bytes as a new JSON string. */
json_t *canon_b64(const uint8_t *bytes, size_t n);

#endif
